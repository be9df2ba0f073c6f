"""整建制转接: move every member of an organization (and its groups) when organizations merge.

A batch is one ordinary transfer per member, so each keeps its own chain, timeline and
history; `act_on_batch` lets the holder of a step decide it for the whole batch at once.
"""

from django.db import transaction

from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.members.models import Member

from . import services
from .models import OPEN_STATUSES, StepAction, Transfer, TransferBatch, TransferKind


def start_batch(from_org, to_org, *, actor, reason):
    """Start a transfer for every active member under `from_org`; returns (batch, skipped)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写转接原因", field="reason")
    if to_org.path.startswith(from_org.path):
        raise DomainError("不能转入本组织或其下级组织", field="to_org")
    services._check_target(to_org)
    members = (
        Member.objects.active()
        .filter(organization__path__startswith=from_org.path)
        .select_related("organization")
        .order_by("pk")
    )
    skipped = []
    with transaction.atomic():
        batch = TransferBatch.objects.create(
            from_org=from_org, to_org=to_org, reason=reason, created_by=services._user(actor)
        )
        for member in members:
            try:
                services.start_transfer(
                    member,
                    kind=TransferKind.INTERNAL,
                    to_org=to_org,
                    reason=reason,
                    batch=batch,
                    actor=actor,
                )
            except DomainError as exc:
                skipped.append((member, exc.message))
        started = batch.transfers.count()
        if not started:
            raise DomainError("没有可转接的党员(均已有办理中的转接或无党员)")
        audit.record("transfer.batch", batch, actor=actor, started=started, skipped=len(skipped))
    return batch, skipped


def act_on_batch(batch, *, actor):
    """Approve or accept every open transfer of the batch whose current step `actor` holds."""
    done = 0
    transfers = Transfer.objects.filter(batch=batch, status__in=OPEN_STATUSES).prefetch_related(
        "steps__organization"
    )
    with transaction.atomic():
        for transfer in transfers:
            step = transfer.current_step()
            if not services.may_act(actor, step):
                continue
            if step.action == StepAction.ACCEPT:
                services.accept_transfer(transfer, actor=actor)
            else:
                services.approve_step(transfer, actor=actor)
            done += 1
    return done
