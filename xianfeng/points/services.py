"""积分 writes: rule versions, the ledger (award, deduct, reverse), claims, closing a month.

Every ledger write locks the member row first, so the cap check, the idempotency check and
the rollup update of one member never interleave; the unique constraint on
(rule_code, source_type, source_id) is the backstop that makes a retry award once.

Caps limit the sum of one rule's points for one member in a calendar month / year of the
booking date (`booked_on`); an award that would cross a cap is cut to what is left, and
refused when nothing is left. A reversal books the negative of the original on the day it
is made, so a closed month never changes.
"""

import math
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import lineage_paths
from xianfeng.core.audit import record, record_many
from xianfeng.core.errors import DomainError
from xianfeng.members.models import Member
from xianfeng.notices.models import NoticeKind
from xianfeng.notices.services import grant_holders, notify
from xianfeng.orgs.models import Organization

from . import periods
from .models import ClaimStatus, EventKind, PointClaim, PointEvent, PointRule, PointTotal

RULE_FIELDS = (
    "name",
    "points",
    "cap_month",
    "cap_year",
    "needs_approval",
    "claimable",
    "valid_from",
    "valid_to",
    "domains",
    "scope",
    "source",
)
FORM_SOURCE = "points.form"


# ---------------------------------------------------------------- rules


def current_rule(code: str, org: Organization | None = None, *, rules=None) -> PointRule | None:
    """The rule that applies to `code` for `org`: the latest version of the most specific scope.

    A street (or district) overrides a city-wide code for its subtree by creating a rule with
    the same code and its own scope; senders keep sending the code. Without `org`, the
    city-wide rule (or, when there is none, the latest version of any scope). `rules`: the
    code's rules when the caller has just read them (`rules_for`).
    """
    rules = rules_for(code) if rules is None else rules
    if org is not None:
        paths = set(lineage_paths(org))
        found = [r for r in rules if r.scope_id is None or r.scope.path in paths]
        if not found:
            return None
        return max(found, key=lambda r: (-1 if r.scope_id is None else r.scope.depth, r.version))
    if not rules:
        return None
    city = [r for r in rules if r.scope_id is None]
    if city:
        return max(city, key=lambda r: r.version)
    return min(rules, key=lambda r: (r.scope_id, -r.version))


# The rules by code, read once per process and read again when the table changed: rules are
# only ever added (a revision is a new row), so (count, max id) changes with every new rule,
# whichever process wrote it; a save in this process clears it at once (signals below).
_RULES = {"stamp": None, "by_code": {}}


def _rules_stamp():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {PointRule._meta.db_table}")
        return tuple(cursor.fetchone())


def rule_table() -> dict[str, list[PointRule]]:
    """{code: every version of every scope (scope loaded)}, from the process cache (one query
    to check it is current)."""
    stamp = _rules_stamp()
    if _RULES["stamp"] != stamp:
        by_code = {}
        for rule in PointRule.objects.select_related("scope").order_by("code", "-version"):
            by_code.setdefault(rule.code, []).append(rule)
        _RULES.update(stamp=stamp, by_code=by_code)
    return _RULES["by_code"]


def rules_for(code: str) -> list[PointRule]:
    """Every version of every scope of `code` (scope loaded), from the process cache."""
    return rule_table().get(code, [])


def forget_rules(**kwargs):
    _RULES.update(stamp=None, by_code={})


def latest_version(rule: PointRule) -> PointRule:
    """The latest version of `rule`'s own family (same code and scope)."""
    return (
        PointRule.objects.filter(code=rule.code, scope_id=rule.scope_id)
        .order_by("-version")
        .first()
    )


def current_rules():
    latest = {}
    for rule in PointRule.objects.select_related("scope").order_by("code", "-version"):
        latest.setdefault((rule.code, rule.scope_id), rule)
    return list(latest.values())


def _check_rule_fields(fields):
    if not fields.get("name"):
        raise DomainError("请填写规则名称", field="name")
    if not fields.get("points"):
        raise DomainError("分值不能为 0", field="points")
    valid_to = fields.get("valid_to")
    if valid_to and valid_to < fields["valid_from"]:
        raise DomainError("失效日期不能早于生效日期", field="valid_to")
    cap_month, cap_year = fields.get("cap_month"), fields.get("cap_year")
    if cap_month and cap_year and cap_month > cap_year:
        raise DomainError("每月上限不能大于每年上限", field="cap_month")


def create_rule(*, code, actor, **fields):
    code = (code or "").strip()
    if not code:
        raise DomainError("请填写规则代码", field="code")
    _check_rule_fields(fields)
    with transaction.atomic():
        scope = fields.get("scope")
        if PointRule.objects.filter(code=code, scope=scope).exists():
            where = f"在{scope.name}" if scope else ""
            raise DomainError(f"规则代码 {code} {where}已存在", field="code")
        rule = PointRule.objects.create(code=code, version=1, created_by=actor, **fields)
        record("points.rule_created", rule, actor=actor, code=code, points=rule.points)
    return rule


def revise_rule(rule, *, actor, **changes):
    """Save an edit as the next version; events already booked keep theirs."""
    fields = {name: getattr(rule, name) for name in RULE_FIELDS} | changes
    if fields["scope"] != rule.scope:
        raise DomainError("修订不能改变适用组织；请为该组织新建同代码的规则", field="scope")
    _check_rule_fields(fields)
    with transaction.atomic():
        latest = (
            PointRule.objects.select_for_update()
            .filter(code=rule.code, scope_id=rule.scope_id)
            .order_by("-version")
        )
        version = latest.first().version + 1
        revised = PointRule.objects.create(
            code=rule.code, version=version, created_by=actor, **fields
        )
        record("points.rule_revised", revised, actor=actor, version=version, changes=changes)
    return revised


def check_applies(rule, member, on, *, domains=None):
    """Refuse when `rule` is not valid on `on` or not meant for the member's organization.
    `domains`: a dict the caller keeps to look each organization's domain up once."""
    if on < rule.valid_from or (rule.valid_to and on > rule.valid_to):
        raise DomainError(f"规则“{rule.name}”在 {on} 不在有效期内")
    org = member.organization
    if rule.scope_id and not org.path.startswith(rule.scope.path):
        raise DomainError(f"规则“{rule.name}”不适用于{org.name}")
    if rule.domains:
        if domains is None:
            domain = _domain_of(org)
        elif org.pk in domains:
            domain = domains[org.pk]
        else:
            domain = domains[org.pk] = _domain_of(org)
        if domain not in rule.domains:
            raise DomainError(f"规则“{rule.name}”不适用于该领域的组织")


def _domain_of(org):
    if org.domain:
        return org.domain
    found = Organization.objects.get_ancestors(org).exclude(domain="").order_by("-depth").first()
    return found.domain if found else ""


# ---------------------------------------------------------------- the ledger


def _spent(member_id, code, start, end):
    return abs(
        PointEvent.objects.filter(
            member_id=member_id, rule_code=code, booked_on__gte=start, booked_on__lt=end
        ).aggregate(s=Sum("points"))["s"]
        or 0
    )


def units_of(rule: PointRule, hours) -> int:
    """How many times the rule pays: once, or per started hour for rules paid by the hour."""
    if not rule.per_hour:
        return 1
    if hours is None or Decimal(str(hours)) <= 0:
        raise DomainError(f"“{rule.name}”按小时计分，来源须记录时长")
    return math.ceil(Decimal(str(hours)))


def capped_points(rule, member_id, booked_on, units=1):
    """The rule's points (× units) cut to what the caps leave (same sign as the rule).

    Both caps are read in one aggregate over the booking's year (the ledger's member/day index).
    """
    spent = None
    if _capped(rule):
        spent = (
            PointEvent.objects.filter(member_id=member_id, rule_code=rule.code)
            .filter(_year_of(booked_on))
            .aggregate(**_spent_sums(booked_on))
        )
    return _cut(rule, spent, units)


def _capped(rule):
    return rule.cap_month is not None or rule.cap_year is not None


def _year_of(booked_on):
    year = periods.parse(str(booked_on.year))
    return Q(booked_on__gte=year.start, booked_on__lt=year.end)


def _spent_sums(booked_on):
    """The caps' aggregate over the booking's year: the month's sum and the year's."""
    month = periods.parse(periods.month_key(booked_on))
    return {
        "month": Sum("points", filter=Q(booked_on__gte=month.start, booked_on__lt=month.end)),
        "year": Sum("points"),
    }


def _cut(rule, spent, units):
    """The points `capped_points` books, from the caps' aggregate `spent` (None: no caps)."""
    wanted = abs(rule.points) * units
    if spent is not None:
        for cap, key in ((rule.cap_month, "month"), (rule.cap_year, "year")):
            if cap is not None:
                wanted = min(wanted, max(cap - abs(spent.get(key) or 0), 0))
    if wanted == 0:
        raise DomainError(f"“{rule.name}”已达上限，本次不再计分")
    return wanted if rule.points > 0 else -wanted


def _roll_up(event):
    """Add `event` to the member's month, quarter and year totals (caller holds the member lock):
    one UPDATE of the three rows, and a row created for a period that has none yet."""
    deducted = -event.points if event.points < 0 else 0
    keys = periods.keys_for(event.booked_on)
    totals = PointTotal.objects.filter(member_id=event.member_id, period__in=keys)
    updated = totals.update(
        total=F("total") + event.points,
        deducted=F("deducted") + deducted,
        reached_at=event.created_at,
    )
    if updated == len(keys):
        return
    present = set(totals.values_list("period", flat=True))
    PointTotal.objects.bulk_create(
        PointTotal(
            member_id=event.member_id,
            period=key,
            total=event.points,
            deducted=deducted,
            reached_at=event.created_at,
        )
        for key in keys
        if key not in present
    )


def _existing(code, source_type, source_id):
    return PointEvent.objects.filter(
        rule_code=code, source_type=source_type, source_id=str(source_id)
    ).first()


def _bookings(code, source_type, source_id):
    """A source's automatic bookings, oldest first: the first under its id, re-bookings after a
    withdrawal under `id#2`, `id#3`… (the ledger is append-only, so a source corrected back
    earns again under the next id)."""
    source_id = str(source_id)
    return PointEvent.objects.filter(
        Q(source_id=source_id) | Q(source_id__startswith=f"{source_id}#"),
        rule_code=code,
        source_type=source_type,
    ).order_by("id")


def live_booking(code, source_type, source_id):
    """The source's booking that still counts (not reversed), or None."""
    last = _bookings(code, source_type, source_id).last()
    if last is None or PointEvent.objects.filter(reverses=last).exists():
        return None
    return last


def book_points(
    member,
    rule,
    *,
    kind,
    source_type,
    source_id,
    occurred_on,
    actor,
    note="",
    points=None,
    reverses=None,
    hours=None,
):
    """Write one ledger row and its totals; the same (rule, source) twice returns the first row.

    An automatic booking whose source was withdrawn (reversed) books again under the next
    re-booking id, so present → absent → present ends with the points counted once.
    """
    booked_on = timezone.localdate()
    with transaction.atomic():
        # Lock the member row; reload it only when it moved since the caller read it (the
        # organization decides the rule's scope and the ledger row's organization).
        org_id = Member.objects.locked().values_list("organization_id", flat=True)
        if org_id.get(pk=member.pk) != member.organization_id:
            member = Member.objects.select_related("organization").get(pk=member.pk)
        # One indexed lookup of (rule, source); re-bookings (`id#2`…) exist only after it.
        found = _existing(rule.code, source_type, source_id)
        if found and kind == EventKind.AUTO:
            earlier = list(_bookings(rule.code, source_type, source_id))
            live = live_booking(rule.code, source_type, source_id)
            if live:
                return live
            source_id = f"{source_id}#{len(earlier) + 1}"
            found = next((e for e in earlier if e.source_id == source_id), None)
        if found:
            return found
        if points is None:
            check_applies(rule, member, occurred_on)
            points = capped_points(rule, member.pk, booked_on, units_of(rule, hours))
        try:
            with transaction.atomic():
                event = PointEvent.objects.create(
                    member=member,
                    rule=rule,
                    rule_code=rule.code,
                    points=points,
                    kind=kind,
                    booked_on=booked_on,
                    occurred_on=occurred_on,
                    source_type=source_type,
                    source_id=str(source_id),
                    organization_id=member.organization_id,
                    reverses=reverses,
                    note=note[:200],
                    approved_by=actor if actor is not None and actor.is_authenticated else None,
                    created_at=timezone.now(),
                )
        except IntegrityError:
            return _existing(rule.code, source_type, source_id)
        _roll_up(event)
        record(
            "points.booked",
            member,
            actor=actor,
            rule=rule.code,
            version=rule.version,
            points=points,
            kind=kind,
            source=f"{source_type}:{source_id}",
        )
    return event


def book_many(bookings):
    """Book many automatic events at once: the rows `book_points(..., kind=AUTO)` writes for
    each, in order, with a fixed number of queries (one member lock, one (rule, source)
    lookup, one caps aggregate, one ledger insert, the rollups read and written once, one
    audit append) instead of a few per event.

    `bookings`: dicts of book_points' arguments (member, rule, source_type, source_id,
    occurred_on, actor, note, hours). Returns, for each, its ledger row or the DomainError
    that refused it (rule out of date or scope, cap reached). A member with one new booking
    in the batch is booked here; a member with more, or a source booked before (a re-booking
    after a withdrawal), goes through book_points one by one after them, in order — members
    never share caps or rollups, so the rows are those of the one-by-one path.
    """
    results = [None] * len(bookings)
    if not bookings:
        return results
    booked_on, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        orgs = dict(
            Member.objects.locked()
            .filter(pk__in={b["member"].pk for b in bookings})
            .order_by("pk")  # one lock order for every batch
            .values_list("pk", "organization_id")
        )
        members = {}
        for b in bookings:
            member = b["member"]
            if member.pk not in members and orgs.get(member.pk) != member.organization_id:
                member = Member.objects.select_related("organization").get(pk=member.pk)
            members.setdefault(member.pk, member)
        per_member = {}
        for b in bookings:
            per_member[b["member"].pk] = per_member.get(b["member"].pk, 0) + 1
        found = _existing_many(bookings)
        fast, slow = [], []
        for i, b in enumerate(bookings):
            key = (b["rule"].code, b["source_type"], str(b["source_id"]))
            one = per_member[b["member"].pk] == 1 and key not in found
            (fast if one else slow).append(i)
        events = _book_new(bookings, fast, members, booked_on, now, results)
        if events is None:  # a concurrent writer booked one of them first
            slow = sorted(fast + slow)
        for i in slow:
            b = bookings[i]
            try:
                with transaction.atomic():
                    results[i] = book_points(
                        b["member"],
                        b["rule"],
                        kind=EventKind.AUTO,
                        source_type=b["source_type"],
                        source_id=b["source_id"],
                        occurred_on=b["occurred_on"],
                        actor=b.get("actor"),
                        note=b.get("note", ""),
                        hours=b.get("hours"),
                    )
            except DomainError as exc:
                results[i] = exc
    return results


def _existing_many(bookings):
    """The (code, source type, source id) of `bookings` the ledger already has (one query)."""
    wanted = {}
    for b in bookings:
        wanted.setdefault((b["rule"].code, b["source_type"]), set()).add(str(b["source_id"]))
    match = Q(pk__in=[])
    for (code, source_type), ids in wanted.items():
        match |= Q(rule_code=code, source_type=source_type, source_id__in=sorted(ids))
    return set(
        PointEvent.objects.filter(match)
        .order_by()
        .values_list("rule_code", "source_type", "source_id")
    )


def _book_new(bookings, indexes, members, booked_on, now, results):
    """Book `bookings[i]` for i in `indexes` (each a member's only, new booking); results[i]
    gets the row or the refusal. None when the insert met a row booked meanwhile (nothing
    written: the caller books them one by one)."""
    domains, rows, audits = {}, [], []
    capped = [i for i in indexes if _capped(bookings[i]["rule"])]
    spent = {}
    if capped:
        by_code = {}
        for i in capped:
            by_code.setdefault(bookings[i]["rule"].code, set()).add(bookings[i]["member"].pk)
        match = Q(pk__in=[])
        for code, member_ids in by_code.items():
            match |= Q(rule_code=code, member_id__in=sorted(member_ids))
        for row in (
            PointEvent.objects.filter(match)
            .filter(_year_of(booked_on))
            .values("member_id", "rule_code")
            .order_by()
            .annotate(**_spent_sums(booked_on))
        ):
            spent[(row["member_id"], row["rule_code"])] = row
    for i in indexes:
        b = bookings[i]
        rule, member = b["rule"], members[b["member"].pk]
        actor = b.get("actor")
        actor = actor if actor is not None and actor.is_authenticated else None
        try:
            check_applies(rule, member, b["occurred_on"], domains=domains)
            sums = spent.get((member.pk, rule.code), {}) if _capped(rule) else None
            points = _cut(rule, sums, units_of(rule, b.get("hours")))
        except DomainError as exc:
            results[i] = exc
            continue
        source_id = str(b["source_id"])
        rows.append(
            PointEvent(
                member=member,
                rule=rule,
                rule_code=rule.code,
                points=points,
                kind=EventKind.AUTO,
                booked_on=booked_on,
                occurred_on=b["occurred_on"],
                source_type=b["source_type"],
                source_id=source_id,
                organization_id=member.organization_id,
                note=(b.get("note") or "")[:200],
                approved_by=actor,
                created_at=now,
            )
        )
        audits.append(
            (
                actor,
                (
                    "points.booked",
                    member,
                    {
                        "rule": rule.code,
                        "version": rule.version,
                        "points": points,
                        "kind": EventKind.AUTO,
                        "source": f"{b['source_type']}:{source_id}",
                    },
                ),
            )
        )
        results[i] = len(rows) - 1
    if not rows:
        return rows
    try:
        with transaction.atomic():
            # The plain QuerySet's bulk_create: rows are only ever added (AppendOnlyQuerySet
            # refuses updates and deletes, not inserts).
            PointEvent.objects.bulk_create(rows)
    except IntegrityError:
        for i in indexes:
            results[i] = None
        return None
    for i in indexes:
        if isinstance(results[i], int):
            results[i] = rows[results[i]]
    _roll_up_many(rows)
    by_actor = {}
    for actor, entry in audits:
        by_actor.setdefault(actor, []).append(entry)
    for actor, entries in by_actor.items():
        record_many(entries, actor=actor)
    return rows


def _roll_up_many(events):
    """`_roll_up` for many events (callers hold the members' locks): which rows exist is read
    once; they are updated with one statement per distinct change (a meeting's marks: two,
    present and absent), and the missing ones created in one."""
    change = {}
    for event in events:
        for key in periods.keys_for(event.booked_on):
            total, deducted, reached = change.get((event.member_id, key), (0, 0, None))
            change[(event.member_id, key)] = (
                total + event.points,
                deducted + (-event.points if event.points < 0 else 0),
                max(reached, event.created_at) if reached else event.created_at,
            )
    present = set(
        PointTotal.objects.filter(
            member_id__in={m for m, _ in change}, period__in={k for _, k in change}
        ).values_list("member_id", "period")
    )
    same = {}
    for (member_id, key), delta in change.items():
        if (member_id, key) in present:
            same.setdefault(delta, {}).setdefault(key, []).append(member_id)
    for (total, deducted, reached), by_key in same.items():
        match = Q(pk__in=[])
        for key, member_ids in by_key.items():
            match |= Q(period=key, member_id__in=member_ids)
        PointTotal.objects.filter(match).update(
            total=F("total") + total, deducted=F("deducted") + deducted, reached_at=reached
        )
    PointTotal.objects.bulk_create(
        PointTotal(member_id=m, period=k, total=t, deducted=d, reached_at=r)
        for (m, k), (t, d, r) in change.items()
        if (m, k) not in present
    )


def award_points(member, rule, *, token, occurred_on=None, note="", actor):
    """A secretary awards (or, with a deduction rule, deducts) points; `token` makes it once."""
    if not token:
        raise DomainError("表单已失效，请刷新后重试")
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        raise DomainError("发生日期不能晚于今天", field="occurred_on")
    return book_points(
        member,
        rule,
        kind=EventKind.MANUAL,
        source_type=FORM_SOURCE,
        source_id=token,
        occurred_on=occurred_on,
        actor=actor,
        note=note,
    )


def reverse_event(event, *, reason, actor):
    """冲正: book the exact negative of `event` today; an event is reversed at most once."""
    if not reason:
        raise DomainError("请填写冲正原因", field="reason")
    if event.kind == EventKind.REVERSAL:
        raise DomainError("冲正记录不能再冲正")
    with transaction.atomic():
        Member.objects.locked().get(pk=event.member_id)
        if PointEvent.objects.filter(reverses=event).exists():
            raise DomainError("该笔积分已冲正")
        reversal = book_points(
            event.member,
            event.rule,
            kind=EventKind.REVERSAL,
            source_type=PointEvent._meta.label_lower,
            source_id=event.pk,
            occurred_on=event.occurred_on,
            actor=actor,
            note=f"冲正：{reason}",
            points=-event.points,
            reverses=event,
        )
    return reversal


def withdraw_points(
    member: Member, code: str, *, source_type: str, source_id, reason: str, actor
) -> PointEvent | None:
    """The source was corrected (e.g. present → absent): reverse what it earned, if anything."""
    with transaction.atomic():
        Member.objects.locked().get(pk=member.pk)
        live = live_booking(code, source_type, source_id)
        if live is None:
            return None
        return reverse_event(live, reason=reason, actor=actor)


# ---------------------------------------------------------------- claims


def submit_claim(member, rule, *, occurred_on, description, evidence, actor):
    if not rule.claimable:
        raise DomainError("该规则不接受党员申报", field="rule")
    if occurred_on > timezone.localdate():
        raise DomainError("发生日期不能晚于今天", field="occurred_on")
    if not description.strip():
        raise DomainError("请填写事由", field="description")
    check_applies(rule, member, occurred_on)
    with transaction.atomic():
        claim = PointClaim.objects.create(
            member=member,
            rule=rule,
            occurred_on=occurred_on,
            description=description.strip(),
            evidence=evidence,
        )
        record("points.claimed", claim, actor=actor, rule=rule.code)
        if not rule.needs_approval:
            _approve(claim, actor=None)
        else:
            notify(
                grant_holders(member.organization, Perm.POINTS_AWARD),
                kind=NoticeKind.CLAIM,
                title=f"积分申报待审核：{member.name}",
                body=f"{rule.name}：{claim.description}"[:300],
                link=reverse("points:claims"),
                exclude=[actor.pk] if actor is not None and actor.is_authenticated else (),
            )
    return claim


def _approve(claim, *, actor):
    event = book_points(
        claim.member,
        claim.rule,
        kind=EventKind.CLAIM,
        source_type=PointClaim._meta.label_lower,
        source_id=claim.pk,
        occurred_on=claim.occurred_on,
        actor=actor,
        note=claim.description,
    )
    claim.status = ClaimStatus.APPROVED
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decided_by", "decided_at"])
    return event


def _locked_pending(claim):
    locked = PointClaim.objects.select_for_update().select_related("rule").get(pk=claim.pk)
    if locked.status != ClaimStatus.PENDING:
        raise DomainError("该申报已审核")
    return locked


def approve_claim(claim, *, actor):
    """Two secretaries approving at once: the second waits for the lock and is refused."""
    with transaction.atomic():
        locked = _locked_pending(claim)
        event = _approve(locked, actor=actor)
        record("points.claim_approved", locked, actor=actor, event=event.pk)
    return event


def reject_claim(claim, *, reason, actor):
    if not reason:
        raise DomainError("请填写不通过的原因", field="reason")
    with transaction.atomic():
        locked = _locked_pending(claim)
        locked.status = ClaimStatus.REJECTED
        locked.reason = reason[:200]
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        record("points.claim_rejected", locked, actor=actor, reason=reason)
    return locked
