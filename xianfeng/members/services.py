"""Member use cases. Every write goes through here so org member counts stay exact.

Each write locks the member row, bumps `Member.version`, refreshes the counts of every
organization it touches and writes an audit row, all in one transaction.
"""

import dataclasses
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.dates import add_years
from xianfeng.core.errors import DomainError
from xianfeng.core.fields import BlindIndexField
from xianfeng.core.rollups import members_changed
from xianfeng.orgs import breakdowns
from xianfeng.orgs.models import Organization, OrgStatus
from xianfeng.orgs.rules import refuse_if_temporary

from . import idcard
from .models import (
    ACTIVE_STATUSES,
    DISCIPLINE_STATUSES,
    Category,
    Member,
    Membership,
    MemberStatus,
    StatusChange,
)
from .search import fill_search_keys

STALE_MESSAGE = "该记录已被他人修改，请刷新后重试"
DUPLICATE_ID_MESSAGE = "该身份证号已登记，不能重复录入；如需转入请办理组织关系转接"
ADMISSION_AGE = 18

# Plain data fields a caller may set through create_member / update_member.
DATA_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "employer",
    "post",
    "household_address",
    "home_address",
    "joined_on",
    "confirmed_on",
    "category",
)
SENSITIVE = frozenset({"id_number", "phone", "birth_date"})


class InvalidMember(DomainError):
    """One or more fields break a rule; `errors` maps each field to its Chinese reason."""

    def __init__(self, errors):
        field, message = next(iter(errors.items()))
        super().__init__(message, code="invalid_member", field=field)
        self.errors = errors


def refresh_org_counts(org_ids):
    """Recount the direct active members of these organizations (call inside the write's transaction)."""
    org_ids = {i for i in org_ids if i is not None}
    if not org_ids:
        return
    with transaction.atomic():
        _recount(org_ids)


def _recount(org_ids):
    # Lock the rows first (in pk order, so two writers cannot deadlock): the count below then
    # runs after any concurrent writer to the same organization has committed.
    list(
        Organization.objects.select_for_update()
        .filter(pk__in=org_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    active = Q(members__status__in=ACTIVE_STATUSES)
    rows = (
        Organization.objects.filter(pk__in=org_ids)
        .order_by()
        .annotate(
            n=Count("members", filter=active),
            n_full=Count("members", filter=active & Q(members__category=Category.FULL)),
            n_prob=Count("members", filter=active & Q(members__category=Category.PROBATIONARY)),
        )
        .values_list("pk", "n", "n_full", "n_prob")
    )
    for pk, n, n_full, n_prob in rows:
        Organization.objects.filter(pk=pk).update(
            member_count=n, full_member_count=n_full, probationary_member_count=n_prob
        )
    # The org charts' rollup rows (docs/decisions/0004), under the same row locks, and the
    # rollups of other apps kept per organization (dues collection).
    breakdowns.refresh(org_ids)
    members_changed(org_ids)


# ---------------------------------------------------------------- validation


def member_errors(fields, *, today=None) -> dict:
    """Every rule a member record breaks, as {field: Chinese reason}; empty when valid.

    Fills `birth_date` and `gender` from the ID number when they are missing, so the
    Excel import can report all problems of a row at once and then call create_member.
    """
    today = today or timezone.localdate()
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = "请填写姓名"
    errors.update(_id_errors(fields))
    errors.update(_phone_errors(fields.get("phone")))
    errors.update(_date_errors(fields, today))
    if fields.get("category") not in (None, *Category.values):
        errors["category"] = "党员类别无效"
    return errors


def _id_errors(fields):
    number = idcard.normalize(fields.get("id_number"))
    if not number:
        return {"id_number": "请填写身份证号"}
    fields["id_number"] = number
    try:
        born, sex = idcard.parse(number)
    except ValidationError as exc:
        return {"id_number": exc.messages[0]}
    fields["birth_date"] = fields.get("birth_date") or born
    fields["gender"] = fields.get("gender") or sex
    return idcard.check_consistent(number, fields["birth_date"], fields["gender"])


def _phone_errors(phone):
    phone = (phone or "").strip()
    if phone and not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        return {"phone": "手机号应为以1开头的11位数字"}
    return {}


def _date_errors(fields, today):
    errors = {}
    joined, confirmed = fields.get("joined_on"), fields.get("confirmed_on")
    born = fields.get("birth_date")
    if born and born > today:
        errors["birth_date"] = "出生日期不能晚于今天"
        born = None
    if not joined:
        errors["joined_on"] = "请填写入党日期"
    elif joined > today:
        errors["joined_on"] = "入党日期不能晚于今天"
    elif born and joined < add_years(born, ADMISSION_AGE):
        errors["joined_on"] = f"入党时应年满18周岁(出生日期 {born:%Y-%m-%d})"
    if confirmed:
        if confirmed > today:
            errors["confirmed_on"] = "转正日期不能晚于今天"
        elif joined and confirmed < joined:
            errors["confirmed_on"] = "转正日期不能早于入党日期"
        elif fields.get("category") == Category.PROBATIONARY:
            errors["confirmed_on"] = "预备党员尚未转正，不应填写转正日期"
    return errors


def _check(fields):
    errors = member_errors(fields)
    if errors:
        raise InvalidMember(errors)


def _check_org(org):
    if org.status != OrgStatus.ACTIVE:
        raise DomainError(f"{org.name}已撤销，不能接收党员", field="organization")


def _check_unique_id(number, exclude_pk=None):
    if Member.objects.filter(id_number=number).exclude(pk=exclude_pk).exists():
        raise InvalidMember({"id_number": DUPLICATE_ID_MESSAGE})


def _unknown(fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise DomainError(f"不能在此修改字段：{', '.join(sorted(unknown))}")


# ---------------------------------------------------------------- writes


def create_member(org, *, actor, tags=(), since=None, reason="登记", **fields) -> Member:
    """Register a member in `org`: validate, refuse a duplicate ID, open the membership record.

    `birth_date` / `gender` default to the values in the ID number; `since` is the start of
    the membership record (default today) and `reason` its reason (`INBOUND_REASON…` for a
    member transferred in from outside the system); `tags` is an iterable of MemberTag.
    """
    _unknown(fields, DATA_FIELDS)
    fields = {k: v for k, v in fields.items() if v is not None}
    _check(fields)
    _check_org(org)
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=org.pk)
        _check_org(org)
        _check_unique_id(fields["id_number"])
        try:
            with transaction.atomic():
                member = Member.objects.create(organization=org, **fields)
        except IntegrityError as exc:
            raise InvalidMember({"id_number": DUPLICATE_ID_MESSAGE}) from exc
        Membership.objects.create(
            member=member, organization=org, started_on=since or timezone.localdate(), reason=reason
        )
        if tags:
            member.tags.set(tags)
        refresh_org_counts([org.pk])
        audit.record(
            "member.create",
            member,
            actor=actor,
            organization=org.pk,
            fields=sorted(fields),
            tags=[t.code for t in tags],
        )
    return member


def _lock(member, expected_version):
    """Lock the member row; refuse when it changed since the caller read it."""
    locked = Member.objects.locked().select_related("organization").get(pk=member.pk)
    expected = member.version if expected_version is None else int(expected_version)
    if locked.version != expected:
        raise DomainError(STALE_MESSAGE, code="stale")
    return locked


def _sync(member, locked):
    """Copy the saved state back to the caller's instance."""
    for field in (*DATA_FIELDS, "status", "organization_id", "version", "updated_at"):
        setattr(member, field, getattr(locked, field))
    member.organization = locked.organization


def update_member(
    member, *, actor, expected_version=None, organization=None, tags=None, on=None, **changes
) -> Member:
    """Change a member's data; audit which fields changed.

    `expected_version` is the version the edit form was built from (default: the version
    of `member` as passed); a mismatch raises DomainError(STALE_MESSAGE). A new
    `organization` closes the open membership and opens one in the new organization
    (dated `on`, default today). Status changes go through change_status.
    """
    _unknown(changes, DATA_FIELDS)
    with transaction.atomic():
        locked = _lock(member, expected_version)
        old = {f: getattr(locked, f) for f in changes}
        merged = {f: getattr(locked, f) for f in DATA_FIELDS} | changes
        _check(merged)
        changed = {f: (old[f], merged[f]) for f in changes if old[f] != merged[f]}
        if "id_number" in changed:
            _check_unique_id(merged["id_number"], exclude_pk=locked.pk)
        for field, (_, new) in changed.items():
            setattr(locked, field, new)
        orgs = {locked.organization_id}
        if organization is not None and organization.pk != locked.organization_id:
            _check_org(organization)
            _transfer([locked.pk], organization, on or timezone.localdate(), "信息修改调整所在组织")
            changed["organization"] = (locked.organization_id, organization.pk)
            locked.organization = organization
            orgs.add(organization.pk)
        tag_change = _apply_tags(locked, tags)
        if tag_change:
            changed["tags"] = tag_change
        if not changed:
            return member
        locked.version += 1
        locked.save()
        refresh_org_counts(orgs)
        audit.record("member.update", locked, actor=actor, changes=_audit_changes(changed))
    _sync(member, locked)
    return member


BULK = 2000


@dataclass
class MemberChange:
    """One member's change for update_members: the version it was read at and the new values."""

    pk: int
    expected_version: int
    fields: dict = dataclasses.field(default_factory=dict)
    organization: Organization | None = None
    tags: list | None = None  # MemberTag instances; None leaves the tags as they are


class MemberRefused(DomainError):
    """update_members refused one member (stale, invalid, duplicate ID, closed organization);
    `pk` names it so the caller can point at its row. Nothing was written."""

    def __init__(self, pk, message, code=None):
        super().__init__(message, code=code or "invalid")
        self.pk = pk


def update_members(changes, *, actor, on=None) -> int:
    """update_member for many members at once (Excel update imports): the same rules,
    history and audit, written in batches.

    Members are locked BULK at a time in pk order; each is checked like update_member
    (expected version, every field rule, unique ID number, active target organization);
    the first refusal raises MemberRefused and the caller's transaction writes nothing.
    Changed rows are written with one bulk UPDATE per batch, moves close and open
    membership records, tags are replaced, counts are refreshed once, and one audit row
    per changed member is appended to the chain in batches. Returns the members changed.
    """
    changes = sorted(changes, key=lambda c: c.pk)
    for change in changes:
        _unknown(change.fields, DATA_FIELDS)
    on = on or timezone.localdate()
    now = timezone.now()
    blind = [f for f in Member._meta.concrete_fields if isinstance(f, BlindIndexField)]
    Tagging = Member.tags.through
    orgs, audits = set(), []
    with transaction.atomic():
        for start in range(0, len(changes), BULK):
            batch = changes[start : start + BULK]
            pks = [c.pk for c in batch]
            locked = Member.objects.locked().order_by("pk").in_bulk(pks)
            old_tags = {}
            for pk, code in Tagging.objects.filter(member_id__in=pks).values_list(
                "member_id", "membertag__code"
            ):
                old_tags.setdefault(pk, set()).add(code)
            dirty, columns, moves, retag = [], set(), {}, {}
            for change in batch:
                member = locked.get(change.pk)
                if member is None or member.version != int(change.expected_version):
                    raise MemberRefused(change.pk, STALE_MESSAGE, code="stale")
                merged = {f: getattr(member, f) for f in DATA_FIELDS} | change.fields
                try:
                    _check(merged)
                except InvalidMember as exc:
                    raise MemberRefused(change.pk, str(exc), code=exc.code) from exc
                changed = {
                    f: (getattr(member, f), merged[f])
                    for f in change.fields
                    if getattr(member, f) != merged[f]
                }
                for f, (_old, new) in changed.items():
                    setattr(member, f, new)
                target = change.organization
                if target is not None and target.pk != member.organization_id:
                    if target.status != OrgStatus.ACTIVE:
                        raise MemberRefused(change.pk, f"{target.name}已撤销，不能接收党员")
                    changed["organization"] = (member.organization_id, target.pk)
                    orgs.update((member.organization_id, target.pk))
                    moves.setdefault(target.pk, []).append(member.pk)
                    member.organization_id = target.pk
                if change.tags is not None:
                    new = {t.code for t in change.tags}
                    old = old_tags.get(member.pk, set())
                    if new != old:
                        changed["tags"] = (sorted(old), sorted(new))
                        retag[member.pk] = change.tags
                if not changed:
                    continue
                columns.update(f for f in changed if f != "tags")
                if "name" in changed:
                    fill_search_keys(member)
                    columns.update(("name", "name_pinyin", "name_initials"))
                for f in blind:
                    if f.source in changed:
                        setattr(member, f.attname, f.compute(member) or None)
                        columns.add(f.name)
                member.version += 1
                member.updated_at = now
                dirty.append(member)
                audits.append(("member.update", member, {"changes": _audit_changes(changed)}))
            _check_unique_ids([m for m in dirty if "id_number" in columns], {m.pk for m in dirty})
            if not dirty:
                continue
            orgs.update(m.organization_id for m in dirty)
            Member.objects.bulk_update(
                dirty, sorted(columns | {"version", "updated_at"}), batch_size=BULK
            )
            for target_pk, ids in moves.items():
                Membership.objects.filter(member_id__in=ids, ended_on__isnull=True).update(
                    ended_on=on
                )
                Membership.objects.bulk_create(
                    Membership(
                        member_id=pk,
                        organization_id=target_pk,
                        started_on=on,
                        reason="信息修改调整所在组织",
                    )
                    for pk in ids
                )
            if retag:
                Tagging.objects.filter(member_id__in=list(retag)).delete()
                Tagging.objects.bulk_create(
                    Tagging(member_id=pk, membertag_id=t.pk)
                    for pk, tags in retag.items()
                    for t in tags
                )
        refresh_org_counts(orgs)
        audit.record_many(audits, actor=actor)
    return len(audits)


def _check_unique_ids(members, own):
    numbers = {m.id_number: m.pk for m in members}
    if not numbers:
        return
    clash = (
        Member.objects.filter(id_number__in=list(numbers))
        .exclude(pk__in=own)
        .values_list("id_number", flat=True)
        .first()
    )
    if clash is not None:
        raise MemberRefused(numbers.get(clash), DUPLICATE_ID_MESSAGE)


def _audit_changes(changed):
    """Old and new values, except that sensitive fields are named without their values."""
    return {f: ("已修改" if f in SENSITIVE else [old, new]) for f, (old, new) in changed.items()}


def _apply_tags(member, tags):
    if tags is None:
        return None
    old = set(member.tags.values_list("code", flat=True))
    new = {t.code for t in tags}
    if old == new:
        return None
    member.tags.set(tags)
    return (sorted(old), sorted(new))


def _transfer(member_ids, target, on, reason):
    Membership.objects.filter(member_id__in=member_ids, ended_on__isnull=True).update(ended_on=on)
    Membership.objects.bulk_create(
        [
            Membership(member_id=pk, organization=target, started_on=on, reason=reason)
            for pk in member_ids
        ]
    )
    Member.objects.filter(pk__in=member_ids).update(organization=target, version=F("version") + 1)


def change_status(member, to_status, *, on, reason="", actor, expected_version=None):
    """Record a change of 党籍状态 (with history); counts follow since they count active statuses.

    The membership stays open: moving a member out is the transfers' business.
    """
    if to_status not in MemberStatus.values:
        raise DomainError("党籍状态无效", field="to_status")
    if on > timezone.localdate():
        raise DomainError("变化日期不能晚于今天", field="on")
    with transaction.atomic():
        locked = _lock(member, expected_version)
        if to_status in DISCIPLINE_STATUSES:
            refuse_if_temporary(locked.organization, "discipline")
        if locked.status == to_status:
            raise DomainError(
                f"该党员党籍状态已是“{locked.get_status_display()}”", field="to_status"
            )
        if on < locked.joined_on:
            raise DomainError("变化日期不能早于入党日期", field="on")
        change = StatusChange.objects.create(
            member=locked,
            from_status=locked.status,
            to_status=to_status,
            on=on,
            reason=reason,
            actor=actor if actor is not None and actor.is_authenticated else None,
        )
        locked.status = to_status
        locked.version += 1
        locked.save()
        refresh_org_counts([locked.organization_id])
        audit.record(
            "member.status",
            locked,
            actor=actor,
            from_status=change.from_status,
            to_status=to_status,
            on=on,
            reason=reason,
        )
    _sync(member, locked)
    return change


def set_category(member, category, *, confirmed_on=None, actor, expected_version=None) -> Member:
    """预备党员转正 (probationary → full, with `confirmed_on`), or back to probationary."""
    if category not in Category.values:
        raise DomainError("党员类别无效", field="category")
    if category == Category.FULL and confirmed_on is None:
        raise DomainError("转为正式党员须填写转正日期", field="confirmed_on")
    with transaction.atomic():
        locked = _lock(member, expected_version)
        if locked.category == category:
            raise DomainError(f"该党员已是{locked.get_category_display()}", field="category")
        fields = {f: getattr(locked, f) for f in DATA_FIELDS}
        fields.update(category=category, confirmed_on=confirmed_on)
        _check(fields)
        locked.category, locked.confirmed_on = category, confirmed_on
        locked.version += 1
        locked.save()
        refresh_org_counts([locked.organization_id])
        audit.record(
            "member.category", locked, actor=actor, category=category, confirmed_on=confirmed_on
        )
    _sync(member, locked)
    return member


def set_tags(member, tags, *, actor) -> Member:
    """Replace a member's tags (an iterable of MemberTag); nothing is written when unchanged."""
    with transaction.atomic():
        locked = Member.objects.locked().get(pk=member.pk)
        change = _apply_tags(locked, list(tags))
        if change is None:
            return member
        Member.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        audit.record("member.tags", locked, actor=actor, old=change[0], new=change[1])
    member.refresh_from_db(fields=["version", "updated_at"])
    return member


def move_members(member_ids, target, *, actor, on=None, reason=""):
    """Move members to `target`, closing and opening their membership records; returns the count."""
    on = on or timezone.localdate()
    if target.status != OrgStatus.ACTIVE:
        raise DomainError(f"{target.name}已撤销，不能接收党员")
    with transaction.atomic():
        members = list(
            Member.objects.locked().filter(pk__in=member_ids).exclude(organization=target)
        )
        if not members:
            return 0
        ids = [m.pk for m in members]
        sources = {m.organization_id for m in members}
        _transfer(ids, target, on, reason)
        refresh_org_counts(sources | {target.pk})
        audit.record("member.move", target, actor=actor, members=ids, reason=reason, on=on)
    return len(ids)
