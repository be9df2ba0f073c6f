"""Organization use cases: create, edit, move, merge, split, dissolve; committees and seats.

Every write locks what two people could change at once, records an OrgChange where the
tree changes (history stays on the organization for good), writes an audit row in the
same transaction and refuses with a Chinese DomainError.
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.dates import add_years
from xianfeng.core.errors import DomainError
from xianfeng.members.models import Member

from .models import (
    Committee,
    CommitteeSeat,
    CommitteeStatus,
    Organization,
    OrgChange,
    OrgKind,
    OrgStatus,
    SeatPost,
)
from .rules import RESCHEDULE_MAX_YEARS, SIZE_EXCEPTION_KINDS, term_years_for

# Which kinds may sit directly under which; None is the top of the tree.
ALLOWED_PARENTS = {
    OrgKind.COMMITTEE: {None, OrgKind.COMMITTEE},
    OrgKind.GENERAL_BRANCH: {OrgKind.COMMITTEE},
    OrgKind.BRANCH: {OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH},
    OrgKind.GROUP: {OrgKind.BRANCH},
}
NESTING_HINT = {
    OrgKind.COMMITTEE: "党委只能设在党委之下（或作为最上级组织）",
    OrgKind.GENERAL_BRANCH: "党总支只能设在党委之下",
    OrgKind.BRANCH: "党支部只能设在党委或党总支之下",
    OrgKind.GROUP: "党小组只能设在党支部之下",
}
EDITABLE_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "is_temporary",
    "is_joint",
    "domain",
    "founded_on",
    "address",
    "contact_name",
    "contact_phone",
)


def _today():
    return timezone.localdate()


def _locked(org):
    return Organization.objects.select_for_update().get(pk=org.pk)


def _check_nesting(kind, parent_kind):
    if kind not in ALLOWED_PARENTS:
        raise DomainError("请选择组织类别", field="kind")
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise DomainError(NESTING_HINT[kind], field="kind")


def _check_flags(kind, fields):
    if kind != OrgKind.BRANCH and (fields.get("is_temporary") or fields.get("is_joint")):
        raise DomainError("只有党支部可以设为临时党支部或联合党支部", field="kind")


def _require_active(org, what="该组织"):
    if org.status != OrgStatus.ACTIVE:
        raise DomainError(f"{what}（{org.name}）已撤销，不能办理此事项")


def _check_code_free(code, exclude_pk=None):
    taken = Organization.objects.filter(code=code).exclude(pk=exclude_pk).exists()
    if taken:
        raise DomainError(f"组织代码 {code} 已被使用", field="code")


def _change(org, kind, on, *, other=None, detail=""):
    return OrgChange.objects.create(
        organization=org, kind=kind, on=on, other=other, detail=detail[:300]
    )


def create_org(parent, *, actor, **fields):
    """Add an organization under `parent` (None: a new top of the tree)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不能设置字段：{', '.join(sorted(unknown))}")
    if not fields.get("code") or not fields.get("name"):
        raise DomainError("组织代码和组织名称必须填写")
    kind = fields.get("kind")
    _check_nesting(kind, parent.kind if parent else None)
    _check_flags(kind, fields)
    with transaction.atomic():
        if parent is not None:
            parent = _locked(parent)
            _require_active(parent, "上级组织")
        _check_code_free(fields["code"])
        try:
            with transaction.atomic():
                org = _add(parent, fields)
        except IntegrityError as exc:
            raise DomainError(f"组织代码 {fields['code']} 已被使用", field="code") from exc
        _change(org, OrgChange.Kind.CREATE, fields.get("founded_on") or _today(), other=parent)
        audit.record("org.create", org, actor=actor, parent=parent and parent.pk, **fields)
    return org


def _add(parent, fields):
    if parent is None:
        return Organization.objects.add_root(fields)
    return Organization.objects.add_child(parent, fields)


def update_org(org, *, actor, **fields):
    """Change an organization's own fields; a rename is kept in its history."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不能设置字段：{', '.join(sorted(unknown))}")
    with transaction.atomic():
        org = _locked(org)
        changed = {k: (getattr(org, k), v) for k, v in fields.items() if getattr(org, k) != v}
        if not changed:
            return org
        _require_active(org)
        after = {**{f: getattr(org, f) for f in EDITABLE_FIELDS}, **fields}
        if "kind" in changed:
            _check_kind_fits(org, after["kind"])
        _check_flags(after["kind"], after)
        if "code" in changed:
            _check_code_free(after["code"], exclude_pk=org.pk)
        for key, value in fields.items():
            setattr(org, key, value)
        org.save()
        if "name" in changed:
            old, new = changed["name"]
            _change(org, OrgChange.Kind.RENAME, _today(), detail=f"由“{old}”更名为“{new}”")
        audit.record("org.update", org, actor=actor, changed=changed)
    return org


def _check_kind_fits(org, kind):
    parent = Organization.objects.get_parent(org)
    _check_nesting(kind, parent.kind if parent else None)
    child_kinds = set(
        Organization.objects.get_children(org)
        .filter(status=OrgStatus.ACTIVE)
        .values_list("kind", flat=True)
    )
    for child_kind in child_kinds:
        if kind not in ALLOWED_PARENTS[child_kind]:
            raise DomainError(
                f"该组织下设有{OrgKind(child_kind).label}，不能改为{OrgKind(kind).label}"
            )


def _check_can_hold(target, child_kinds):
    for kind in set(child_kinds):
        if target.kind not in ALLOWED_PARENTS[kind]:
            raise DomainError(NESTING_HINT[kind])


def _move_under(org, new_parent):
    Organization.objects.move(org, new_parent, "last-child")
    org.refresh_from_db()
    new_parent.refresh_from_db()


def move_org(org, new_parent, *, actor, on=None):
    """Move `org` and its whole subtree under `new_parent`."""
    on = on or _today()
    with transaction.atomic():
        org, new_parent = _locked(org), _locked(new_parent)
        if new_parent.path.startswith(org.path):
            raise DomainError("不能把组织移动到它自己或它的下级组织之下")
        old_parent = Organization.objects.get_parent(org)
        if old_parent and old_parent.pk == new_parent.pk:
            raise DomainError(f"{org.name}已经隶属于{new_parent.name}")
        _require_active(org)
        _require_active(new_parent, "新的上级组织")
        _check_can_hold(new_parent, [org.kind])
        _move_under(org, new_parent)
        detail = f"由“{old_parent.name if old_parent else '—'}”调整至“{new_parent.name}”"
        _change(org, OrgChange.Kind.MOVE, on, other=new_parent, detail=detail)
        audit.record(
            "org.move",
            org,
            actor=actor,
            old_parent=old_parent and old_parent.pk,
            new_parent=new_parent.pk,
            on=on,
        )
    return org


def _active_children(org):
    return list(Organization.objects.get_children(org).filter(status=OrgStatus.ACTIVE))


def _active_member_ids(org):
    return list(Member.objects.active().filter(organization=org).values_list("pk", flat=True))


def _close_committees(org, on):
    current = Committee.objects.filter(organization=org, status=CommitteeStatus.CURRENT)
    CommitteeSeat.objects.filter(committee__in=current, ended_on__isnull=True).update(ended_on=on)
    current.update(status=CommitteeStatus.ENDED)


def _dissolve(org, on):
    _close_committees(org, on)
    org.status = OrgStatus.DISSOLVED
    org.dissolved_on = on
    org.save(update_fields=["status", "dissolved_on", "updated_at"])


def merge_orgs(source, target, *, actor, on=None):
    """Merge `source` into `target`: its members and sub-organizations move, it is dissolved."""
    on = on or _today()
    with transaction.atomic():
        source, target = _locked(source), _locked(target)
        if source.pk == target.pk:
            raise DomainError("不能把组织合并到它自己")
        if target.path.startswith(source.path):
            raise DomainError("不能把组织合并到它的下级组织")
        _require_active(source, "被合并组织")
        _require_active(target, "合并目标组织")
        children = _active_children(source)
        _check_can_hold(target, [child.kind for child in children])
        member_ids = _active_member_ids(source)
        reason = f"{source.name}并入{target.name}"
        moved = _move_members(member_ids, target, actor=actor, on=on, reason=reason)
        for child in children:
            _move_under(child, target)
            _change(child, OrgChange.Kind.MOVE, on, other=target, detail=reason)
        source.refresh_from_db()
        _dissolve(source, on)
        detail = f"党员{moved}名、下级组织{len(children)}个"
        _change(
            source,
            OrgChange.Kind.MERGED_AWAY,
            on,
            other=target,
            detail=f"并入“{target.name}”，{detail}",
        )
        _change(
            target,
            OrgChange.Kind.MERGE_IN,
            on,
            other=source,
            detail=f"“{source.name}”并入，{detail}",
        )
        audit.record(
            "org.merge",
            target,
            actor=actor,
            source=source.pk,
            members=member_ids,
            children=[c.pk for c in children],
            on=on,
        )
    target.refresh_from_db()
    return target


def _move_members(member_ids, target, *, actor, on, reason):
    from xianfeng.members.services import move_members

    return move_members(member_ids, target, actor=actor, on=on, reason=reason) if member_ids else 0


def split_org(org, *, new_name, new_code, member_ids, child_ids, actor, on=None):
    """Split part of `org` off into a new sibling of the same kind; returns the new org."""
    on = on or _today()
    with transaction.atomic():
        org = _locked(org)
        _require_active(org)
        parent = Organization.objects.get_parent(org)
        if parent is None:
            raise DomainError("最上级组织不能拆分")
        member_ids = {int(pk) for pk in member_ids}
        child_ids = {int(pk) for pk in child_ids}
        if not member_ids and not child_ids:
            raise DomainError("请至少选择一名党员或一个下级组织分出")
        if not member_ids <= set(_active_member_ids(org)):
            raise DomainError("所选党员不全是本组织的在册党员")
        children = [child for child in _active_children(org) if child.pk in child_ids]
        if len(children) != len(child_ids):
            raise DomainError("所选下级组织不全是本组织的直属下级")
        fields = {
            "name": new_name,
            "code": new_code,
            "kind": org.kind,
            "domain": org.domain,
            "is_temporary": org.is_temporary,
            "is_joint": org.is_joint,
            "founded_on": on,
        }
        new_org = create_org(parent, actor=actor, **fields)
        reason = f"由“{org.name}”拆分"
        _move_members(sorted(member_ids), new_org, actor=actor, on=on, reason=reason)
        for child in children:
            _move_under(child, new_org)
            _change(child, OrgChange.Kind.MOVE, on, other=new_org, detail=reason)
        detail = f"党员{len(member_ids)}名、下级组织{len(children)}个"
        _change(org, OrgChange.Kind.SPLIT, on, other=new_org, detail=f"分出“{new_name}”，{detail}")
        _change(new_org, OrgChange.Kind.SPLIT, on, other=org, detail=f"{reason}，{detail}")
        audit.record(
            "org.split",
            org,
            actor=actor,
            new_org=new_org.pk,
            members=sorted(member_ids),
            children=sorted(child_ids),
            on=on,
        )
    new_org.refresh_from_db()
    return new_org


def dissolve_org(org, *, actor, on=None):
    """Dissolve an empty organization; it and its history stay in the tree."""
    on = on or _today()
    with transaction.atomic():
        org = _locked(org)
        _require_active(org)
        if Member.objects.active().filter(organization=org).exists():
            raise DomainError(f"{org.name}还有在册党员，请先转出或合并后再撤销")
        if Organization.objects.get_children(org).filter(status=OrgStatus.ACTIVE).exists():
            raise DomainError(f"{org.name}还有未撤销的下级组织，请先调整后再撤销")
        if on > _today():
            raise DomainError("撤销日期不能晚于今天", field="on")
        _dissolve(org, on)
        _change(org, OrgChange.Kind.DISSOLVE, on)
        audit.record("org.dissolve", org, actor=actor, on=on)
    return org


def set_size_exception(
    org: Organization, *, approved_on: date | None, approval: str, actor
) -> Organization:
    """Record (or, with no date, withdraw) the higher level's approval for a 党总支 under 50 or
    a 党委 under 100 members ("因工作需要，经上级党组织批准", orgs/rules.py)."""
    approval = (approval or "").strip()
    with transaction.atomic():
        org = _locked(org)
        _require_active(org)
        if org.kind not in SIZE_EXCEPTION_KINDS:
            raise DomainError("只有党总支、党委可以经批准低于规定人数设立")
        if approved_on is not None:
            if approved_on > _today():
                raise DomainError("批准日期不能晚于今天", field="approved_on")
            if not approval:
                raise DomainError("请填写上级批准文件或文号", field="approval")
        org.size_exception_approved_on = approved_on
        org.size_exception_approval = approval if approved_on else ""
        org.save(update_fields=["size_exception_approved_on", "size_exception_approval"])
        audit.record(
            "org.size_exception", org, actor=actor, approved_on=approved_on, approval=approval
        )
    return org


def term_end(elected_on: date, years: int) -> date:
    """届满日期: the same calendar day `years` later."""
    return add_years(elected_on, years)


def start_committee(org, *, elected_on, term_years=None, actor, note=""):
    """Record a new term (换届); the previous current committee ends that day."""
    term_years = term_years or term_years_for(org)
    with transaction.atomic():
        org = _locked(org)
        _require_active(org)
        if org.kind == OrgKind.GROUP:
            raise DomainError("党小组不设委员会")
        if elected_on > _today():
            raise DomainError("选举日期不能晚于今天", field="elected_on")
        if not 1 <= term_years <= 10:
            raise DomainError("任期应为1至10年", field="term_years")
        previous = Committee.objects.filter(organization=org, status=CommitteeStatus.CURRENT)
        last = previous.first()
        if last and elected_on <= last.elected_on:
            raise DomainError(f"选举日期应晚于上一届（{last.elected_on}）", field="elected_on")
        _close_committees(org, elected_on)
        committee = Committee.objects.create(
            organization=org,
            elected_on=elected_on,
            term_years=term_years,
            ends_on=term_end(elected_on, term_years),
            note=note,
        )
        audit.record(
            "org.committee.start",
            committee,
            actor=actor,
            org=org.pk,
            previous=last and last.pk,
            elected_on=elected_on,
            term_years=term_years,
        )
    return committee


def reschedule_committee(
    committee, *, ends_on: date, approved_on: date, approval: str, reason: str, actor
) -> Committee:
    """换届延期或提前: move a current committee's end to `ends_on`, at most a year from the date
    the term ends by itself (rules.RESCHEDULE_SOURCE). The caller has checked that the actor
    speaks for the level above. Moving it back to the statutory date clears the adjustment."""
    approval, reason = (approval or "").strip(), (reason or "").strip()
    with transaction.atomic():
        committee = Committee.objects.select_for_update().get(pk=committee.pk)
        if committee.status != CommitteeStatus.CURRENT:
            raise DomainError("该届委员会已届满换届，不能再调整换届日期")
        statutory = committee.statutory_ends_on or committee.ends_on
        earliest = add_years(statutory, -RESCHEDULE_MAX_YEARS)
        latest = add_years(statutory, RESCHEDULE_MAX_YEARS)
        if not earliest <= ends_on <= latest:
            raise DomainError(
                f"届满日期{statutory:%Y-%m-%d}，延期或提前一般不超过1年"
                f"（{earliest:%Y-%m-%d}至{latest:%Y-%m-%d}）",
                field="ends_on",
            )
        if ends_on <= committee.elected_on:
            raise DomainError("换届日期应晚于本届选举日期", field="ends_on")
        if approved_on > _today():
            raise DomainError("批准日期不能晚于今天", field="approved_on")
        if approved_on < committee.elected_on:
            raise DomainError("批准日期不能早于本届选举日期", field="approved_on")
        if not approval:
            raise DomainError("请填写上级批准文件或文号", field="approval")
        if not reason:
            raise DomainError("请填写延期或提前换届的原因", field="reason")
        back = ends_on == statutory
        committee.statutory_ends_on = None if back else statutory
        committee.ends_on = ends_on
        committee.rescheduled_on = approved_on
        committee.reschedule_approval, committee.reschedule_reason = approval, reason
        committee.save(
            update_fields=[
                "statutory_ends_on",
                "ends_on",
                "rescheduled_on",
                "reschedule_approval",
                "reschedule_reason",
            ]
        )
        audit.record(
            "org.committee.reschedule",
            committee,
            actor=actor,
            statutory_ends_on=statutory,
            ends_on=ends_on,
            approved_on=approved_on,
            approval=approval,
            reason=reason,
        )
    return committee


def assign_seat(committee, member, post, *, started_on, actor):
    """Give `member` a post on a current committee."""
    with transaction.atomic():
        committee = (
            Committee.objects.select_for_update()
            .select_related("organization")
            .get(pk=committee.pk)
        )
        member = Member.objects.select_related("organization").get(pk=member.pk)
        if committee.status != CommitteeStatus.CURRENT:
            raise DomainError("该届委员会已届满，不能再任命")
        if not member.is_active:
            raise DomainError(f"{member.name}党籍状态为{member.get_status_display()}，不能任职")
        if not member.organization.path.startswith(committee.organization.path):
            raise DomainError(
                f"{member.name}不是{committee.organization.name}的党员", field="member"
            )
        if post not in SeatPost.values:
            raise DomainError("请选择职务", field="post")
        if started_on < committee.elected_on:
            raise DomainError("任职日期不能早于本届选举日期", field="started_on")
        open_seats = committee.seats.filter(ended_on__isnull=True)
        if open_seats.filter(member=member).exists():
            raise DomainError(f"{member.name}已在本届委员会任职", field="member")
        if post == SeatPost.SECRETARY and open_seats.filter(post=post).exists():
            raise DomainError("本届委员会已有书记，请先办理原书记离任", field="post")
        seat = CommitteeSeat.objects.create(
            committee=committee, member=member, post=post, started_on=started_on
        )
        audit.record(
            "org.seat.assign",
            seat,
            actor=actor,
            committee=committee.pk,
            member=member.pk,
            post=post,
            started_on=started_on,
        )
    return seat


def end_seat(seat, *, ended_on, actor):
    """A member leaves a post."""
    with transaction.atomic():
        seat = CommitteeSeat.objects.select_for_update().get(pk=seat.pk)
        if seat.ended_on is not None:
            raise DomainError("该职务已离任")
        if ended_on < seat.started_on:
            raise DomainError("离任日期不能早于任职日期", field="ended_on")
        if ended_on > _today():
            raise DomainError("离任日期不能晚于今天", field="ended_on")
        seat.ended_on = ended_on
        seat.save(update_fields=["ended_on"])
        audit.record("org.seat.end", seat, actor=actor, ended_on=ended_on)
    return seat


def terms_due(orgs_qs, today, within_days=90):
    """Current committees of active orgs in `orgs_qs` that end within `within_days` or already
    ended (overdue first: ordered by end date)."""
    return (
        Committee.objects.filter(
            status=CommitteeStatus.CURRENT,
            organization__in=orgs_qs.filter(status=OrgStatus.ACTIVE).order_by().values("pk"),
            ends_on__lte=today + timedelta(days=within_days),
        )
        .select_related("organization")
        .order_by("ends_on", "organization__path")
    )
