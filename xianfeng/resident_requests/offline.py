"""Intake on a resident's behalf replayed from the phone's offline queue (core.replay,
docs/modules/pwa.md)."""

from django.urls import reverse

from xianfeng.core import replay
from xianfeng.core.errors import DomainError

from .models import ResidentRequest

PREFIX = "staff:"  # the key the intake form has always stored: "staff:<user id>:<token>"


def intake_replay(request, token, form, submit):
    """`form` is the bound StaffIntakeForm; `submit(user, data)` stores the request."""
    user = request.user
    key = replay.scoped(user, token, PREFIX)
    req = ResidentRequest.objects.filter(idempotency_key=key).first()
    replayed = req is not None
    if req is None:
        if not form.is_valid():
            return replay.invalid(form)
        try:
            req = submit(user, {**form.cleaned_data, "idempotency_key": token})
        except DomainError as exc:
            return replay.conflict(exc.message)
    return replay.stored(
        obj_id=req.pk,
        url=reverse("requests:detail", args=[req.pk]),
        message=f"诉求已登记，查询码 {req.tracking_code}。",
        replayed=replayed,
    )
