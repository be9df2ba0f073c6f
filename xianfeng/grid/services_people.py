"""Who serves a grid and what they do there: staff, 中心户, 划片, households, visits, activities.

Same house rules as services.py: one transaction per use case, locks where two people can
act at once, an audit row in the transaction, Chinese DomainErrors. Visits and activities
carry the form's one-time token, so a double submit returns the first row.
"""

from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_batch, point_code, point_event
from xianfeng.core.photos import check_photos

from .models import (
    ZONE_KINDS,
    CareTag,
    CentralHousehold,
    GridKind,
    GridStaff,
    Household,
    HouseholdTag,
    ServiceActivity,
    Visit,
    VisitPhoto,
    ZoneResponsibility,
)

SERVICE_RULE = point_code("service.activity")  # a member taking part in an activity


def _today():
    return timezone.localdate()


def _not_future(day, label):
    if day > _today():
        raise DomainError(f"{label}不能晚于今天", field=None)


def _active_member(member):
    if not member.is_active:
        raise DomainError(f"{member.name}的党籍状态为“{member.get_status_display()}”，不能安排")


def district_of(grid):
    """The 区委 whose staff roles apply: the top organization above the grid's scope org."""
    org = grid.scope_org
    if org is None:
        return None
    return type(org).objects.filter(path=org.path[: org.steplen]).first()


# --- Staff --------------------------------------------------------------------------


def add_staff(grid, *, role, name, started_on, actor, member=None, user=None, **fields):
    """Put one person on a grid in a district-configured role; a member counts as party."""
    if not name.strip():
        raise DomainError("请填写姓名", field="name")
    district = district_of(grid)
    if district is None or role.district_id != district.pk:
        raise DomainError("该角色不属于本网格所在区的网格力量设置", field="role")
    if member is not None:
        _active_member(member)
    _not_future(started_on, "上岗日期")
    is_party = member is not None or bool(fields.pop("is_party_member", False))
    with transaction.atomic():
        if (
            user is not None
            and GridStaff.objects.filter(
                grid=grid, user=user, role=role, ended_on__isnull=True
            ).exists()
        ):
            raise DomainError("该账号已在本网格担任此角色", field="user")
        staff = GridStaff.objects.create(
            grid=grid,
            role=role,
            name=name.strip(),
            member=member,
            user=user,
            is_party_member=is_party,
            started_on=started_on,
            phone=fields.pop("phone", ""),
            publish_phone=bool(fields.pop("publish_phone", False)),
        )
        audit.record("grid.staff_add", staff, actor=actor, grid=grid.pk, role=role.code)
    return staff


def set_phone_published(staff, published: bool, *, actor) -> GridStaff:
    """Record the person's consent (or its withdrawal) to show their number in full publicly."""
    with transaction.atomic():
        staff = GridStaff.objects.select_for_update().get(pk=staff.pk)
        if staff.publish_phone == published:
            return staff
        staff.publish_phone = published
        staff.save(update_fields=["publish_phone"])
        audit.record("grid.staff_phone_published", staff, actor=actor, published=published)
    return staff


def end_staff(staff, *, ended_on, actor):
    with transaction.atomic():
        staff = GridStaff.objects.select_for_update().get(pk=staff.pk)
        if staff.ended_on is not None:
            raise DomainError(f"{staff.name}已于{staff.ended_on}离岗")
        if ended_on < staff.started_on:
            raise DomainError("离岗日期不能早于上岗日期", field="ended_on")
        staff.ended_on = ended_on
        staff.save(update_fields=["ended_on"])
        audit.record("grid.staff_end", staff, actor=actor, ended_on=ended_on)
    return staff


# --- 党员中心户 and 划片 ---------------------------------------------------------------


def _zone(grid):
    if grid.kind not in (*ZONE_KINDS, GridKind.GRID):
        raise DomainError("党员中心户和划片负责只能设在网格、楼栋、片区或户上")


def add_central_household(grid, member, *, actor, address="", households_served=0, services=""):
    _zone(grid)
    _active_member(member)
    with transaction.atomic():
        try:
            with transaction.atomic():
                central = CentralHousehold.objects.create(
                    grid=grid,
                    member=member,
                    address=address,
                    households_served=households_served,
                    services=services,
                )
        except IntegrityError as exc:
            raise DomainError(f"{member.name}已是{grid.name}的党员中心户") from exc
        audit.record("grid.central_add", central, actor=actor, grid=grid.pk)
    return central


def end_central_household(central, *, actor):
    with transaction.atomic():
        central = CentralHousehold.objects.select_for_update().get(pk=central.pk)
        if not central.is_active:
            raise DomainError("该党员中心户已撤销")
        central.is_active = False
        central.save(update_fields=["is_active"])
        audit.record("grid.central_end", central, actor=actor)
    return central


def assign_zone(grid, member, *, started_on, actor, households=0, note=""):
    """划片: make `member` answer for the households of `grid` from `started_on`."""
    _zone(grid)
    _active_member(member)
    with transaction.atomic():
        taken = ZoneResponsibility.objects.filter(
            grid=grid, member=member, ended_on__isnull=True
        ).exists()
        if taken:
            raise DomainError(f"{member.name}已负责{grid.name}")
        duty = ZoneResponsibility.objects.create(
            grid=grid, member=member, households=households, note=note, started_on=started_on
        )
        audit.record("grid.zone_assign", duty, actor=actor, grid=grid.pk)
    return duty


# --- Households and visits ----------------------------------------------------------

HOUSEHOLD_FIELDS = ("address", "head_name", "phone", "size", "is_party_household", "note")


def save_household(grid, *, actor, household=None, tags=(), **fields):
    """Create (household=None) or update a household of `grid`; `tags` replaces its tags."""
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise DomainError(f"不能设置字段：{', '.join(sorted(unknown))}")
    bad = set(tags) - set(CareTag.values)
    if bad:
        raise DomainError(f"未知标签：{', '.join(sorted(bad))}", field="tags")
    if grid.kind not in (*ZONE_KINDS, GridKind.GRID):
        raise DomainError("住户只能登记在网格、楼栋、片区或户上")
    with transaction.atomic():
        if household is None:
            household = Household(grid=grid)
        else:
            household = Household.objects.select_for_update().get(pk=household.pk, grid=grid)
        for key, value in fields.items():
            setattr(household, key, value)
        try:
            with transaction.atomic():
                household.save()
        except IntegrityError as exc:
            raise DomainError(
                f"{grid.name}已登记门牌“{household.address}”", field="address"
            ) from exc
        household.tags.exclude(tag__in=tags).delete()
        have = set(household.tags.values_list("tag", flat=True))
        HouseholdTag.objects.bulk_create(
            [HouseholdTag(household=household, tag=t) for t in sorted(set(tags) - have)]
        )
        audit.record("grid.household_save", household, actor=actor, tags=sorted(tags), **fields)
    return household


def record_visit(
    household,
    *,
    visited_on,
    visitor_name,
    actor,
    found="",
    needs_follow_up=False,
    key=None,
    photos=(),
):
    """Record a visit (with up to 4 photos). The same `key` finds the visit it first made.

    Callers scope the key to the user ("<user id>:<token>"), so a token only ever finds the
    caller's own visit; a visit found again that way has `replayed` set.
    """
    _not_future(visited_on, "走访日期")
    if not visitor_name.strip():
        raise DomainError("请填写走访人", field="visitor_name")
    existing = key and Visit.objects.filter(idempotency_key=key).first()
    if existing:
        return _same_visit(existing, household)
    checked = check_photos(photos)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                household=household,
                visited_on=visited_on,
                visitor_name=visitor_name.strip(),
                found=found,
                needs_follow_up=needs_follow_up,
                recorded_by=actor if actor and actor.is_authenticated else None,
                idempotency_key=key or None,
            )
            for upload, content_type in checked:
                photo = VisitPhoto(visit=visit, content_type=content_type, size=upload.size)
                photo.image.save(upload.name, upload, save=True)
            audit.record(
                "grid.visit", visit, actor=actor, household=household.pk, photos=len(checked)
            )
    except IntegrityError:
        # Two replays of one offline visit raced: the other one stored it.
        existing = key and Visit.objects.filter(idempotency_key=key).first()
        if not existing:
            raise
        return _same_visit(existing, household)
    visit.replayed = False
    return visit


def refuse_if_new_visit(household, key):
    """The household changed after the phone's copy was made: a visit not yet stored under
    `key` is a conflict for the worker to look at (a stored one is simply answered again)."""
    if not Visit.objects.filter(idempotency_key=key, household=household).exists():
        raise DomainError(
            f"住户“{household.address}”的信息在您离线后已被修改，请核对后再提交",
            field="seen",
        )


def _same_visit(visit, household):
    if visit.household_id != household.pk:
        raise DomainError("该提交令牌已用于另一户的走访，请刷新页面后重新登记")
    visit.replayed = True
    return visit


# --- 便民服务活动 ---------------------------------------------------------------------


def record_activity(grid, *, title, kind, held_on, actor, members=(), key=None, **fields):
    """Log one service activity; each taking-part member earns the `service.activity` points."""
    _not_future(held_on, "活动日期")
    if not title.strip():
        raise DomainError("请填写活动内容", field="title")
    existing = key and ServiceActivity.objects.filter(idempotency_key=key).first()
    if existing:
        return existing
    members = list(members)
    for member in members:
        _active_member(member)
    prefetch_related_objects(members, "organization")  # the points rules read it, once
    with transaction.atomic():
        activity = ServiceActivity.objects.create(
            grid=grid,
            title=title.strip(),
            kind=kind,
            held_on=held_on,
            place=fields.get("place", ""),
            participants=fields.get("participants", ""),
            residents_served=fields.get("residents_served", 0),
            problems_solved=fields.get("problems_solved", 0),
            recorded_by=actor if actor and actor.is_authenticated else None,
            idempotency_key=key or None,
        )
        activity.members.set(members)
        audit.record(
            "grid.activity", activity, actor=actor, grid=grid.pk, members=[m.pk for m in members]
        )
        # Each member's taking part is its own source: the ledger books a source once.
        taking_part = {
            row.member_id: row
            for row in ServiceActivity.members.through.objects.filter(serviceactivity=activity)
        }
        with point_batch():  # booked together: a fixed number of queries per activity
            for member in members:
                point_event.send(
                    sender=ServiceActivity,
                    member=member,
                    rule_code=SERVICE_RULE,
                    source=taking_part[member.pk],
                    occurred_on=held_on,
                    actor=actor,
                )
    return activity
