"""The demo's figures, recomputed from its records (issue 14: "every number the demo shows must
be reproducible from its records").

The demo is loaded once for the module. Each test recomputes one figure from the rows the
services left (attendance, requests, the ledger, review scores …) with its own arithmetic and
compares it with what the services and the pages show: the ledger and its rollups, the
closed TOP10s, the on-time rates, the meeting compliance behind the stars, and the stars.
"""

from collections import defaultdict
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from xianfeng.accounts.models import User
from xianfeng.assessment.models import ItemKind, ReviewScore, StarRating
from xianfeng.assessment.scoring import (
    apply_limits,
    computed_score,
    percent_of,
    quantize,
    stars_for,
)
from xianfeng.core.events import INDICATORS
from xianfeng.meetings.models import Attendance, AttendanceStatus
from xianfeng.members.models import ACTIVE_STATUSES, Member
from xianfeng.orgs.models import Organization
from xianfeng.points import periods
from xianfeng.points.models import EventKind, PointEvent, PointRule, PointTotal, RankingSnapshot
from xianfeng.resident_requests.models import ResidentRequest, Status

pytestmark = pytest.mark.django_db

# The services that send point events, by the source row they name.
SENDERS = {
    "meetings.attendance": ("meeting.attend", "absent.meeting"),
    "resident_requests.residentrequest": ("request.solved",),
    "service.volunteersignup": ("volunteer.hours",),
    "service.servicerecord": ("volunteer.hours",),
    "service.claim": ("project.finished",),
    "learning.studyrecord": ("study.hours",),
    "dues.duespayment": ("dues.late",),
    "instructors.visit": ("instructor.visit",),
    "grid.serviceactivity_members": ("service.activity",),  # a member's row of the activity
    "venues.signup": ("venue.activity",),
}


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = media


@pytest.fixture
def demo(demo_loaded, db):
    return demo_loaded


@pytest.fixture
def admin_client(client, demo):
    client.force_login(User.objects.get(username="admin"))
    return client


def test_every_point_event_comes_from_a_real_sender(demo):
    assert not PointEvent.objects.filter(source_type="demo.event").exists()
    auto = PointEvent.objects.filter(kind__in=(EventKind.AUTO, EventKind.REVERSAL))
    assert auto.count() == PointEvent.objects.count()  # nothing awarded by hand either
    codes = set()
    reversed_ids = _sources(auto.filter(kind=EventKind.REVERSAL)).pop("points.pointevent", set())
    originals = PointEvent.objects.filter(pk__in=reversed_ids)
    assert originals.count() == len(reversed_ids)  # a reversal names the event it reverses
    assert not originals.filter(kind=EventKind.REVERSAL).exists()
    for source_type, ids in _sources(auto.exclude(kind=EventKind.REVERSAL)).items():
        assert source_type in SENDERS, source_type
        model = apps.get_model(source_type)
        found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        assert found == ids, f"{source_type}: events without their source row"
        codes |= set(auto.filter(source_type=source_type).values_list("rule_code", flat=True))
        assert codes <= {c for cs in SENDERS.values() for c in cs}
    assert len(codes) >= 6, codes


def test_every_declared_sender_code_has_a_ledger_row(demo):
    """Each code an app declares with `point_code()` fires at least once in the demo year."""
    from xianfeng.core.events import POINT_CODES

    booked = set(PointEvent.objects.values_list("rule_code", flat=True).distinct())
    assert set(POINT_CODES) - booked == set()


def _sources(events):
    found = defaultdict(set)
    for source_type, source_id in events.values_list("source_type", "source_id"):
        found[source_type].add(int(source_id.split("#")[0]))
    return found


def test_rollups_equal_the_ledger(demo):
    sums = defaultdict(int)
    for member_id, booked_on, points in PointEvent.objects.values_list(
        "member_id", "booked_on", "points"
    ):
        for key in periods.keys_for(booked_on):
            sums[member_id, key] += points
    rollups = {(t.member_id, t.period): t.total for t in PointTotal.objects.all()}
    assert rollups == {k: v for k, v in sums.items() if (k in rollups or v)}


def test_attendance_and_the_ledger_agree(demo):
    """Present earns `meeting.attend` (unless the month's cap was reached), absent without
    leave loses `absent.meeting`, and a corrected mark keeps nothing of what it had earned."""
    net = defaultdict(int)
    source_of = {
        pk: int(source_id.split("#")[0])
        for pk, source_id in PointEvent.objects.filter(
            source_type="meetings.attendance"
        ).values_list("pk", "source_id")
    }
    for code, source_type, source_id, points in PointEvent.objects.filter(
        source_type__in=("meetings.attendance", "points.pointevent")
    ).values_list("rule_code", "source_type", "source_id", "points"):
        if source_type == "points.pointevent":  # a reversal: back to the attendance row
            if int(source_id) not in source_of:
                continue
            net[code, source_of[int(source_id)]] += points
        else:
            net[code, int(source_id.split("#")[0])] += points
    attend = PointRule.objects.filter(code="meeting.attend", scope=None).latest("version")
    monthly = defaultdict(int)
    for member_id, booked_on, points in PointEvent.objects.filter(
        rule_code="meeting.attend"
    ).values_list("member_id", "booked_on", "points"):
        monthly[member_id, periods.month_key(booked_on)] += points
    rows = Attendance.objects.filter(meeting__status="held").values_list(
        "pk", "member_id", "status", "meeting__held_on"
    )
    checked = 0
    for pk, member_id, status, held_on in rows:
        earned = net["meeting.attend", pk]
        if status == AttendanceStatus.PRESENT:
            capped = monthly[member_id, periods.month_key(held_on)] >= attend.cap_month
            assert earned > 0 or capped, pk
            checked += 1
        else:
            assert earned == 0, pk
        assert (net["absent.meeting", pk] < 0) == (status == AttendanceStatus.ABSENT), pk
    assert checked > 1000


def _top10(street, key):
    """The month's TOP10 of the street, from the ledger: points booked in the month by the
    street's active members, on equal totals who reached it first, then pinyin, then id."""
    period = periods.parse(key)
    members = {
        m.pk: m
        for m in Member.objects.filter(
            organization__path__startswith=street.path, status__in=ACTIVE_STATUSES
        )
    }
    totals, reached = defaultdict(int), {}
    events = PointEvent.objects.filter(
        member_id__in=members, booked_on__gte=period.start, booked_on__lt=period.end
    )
    for member_id, points, created in events.values_list("member_id", "points", "created_at"):
        totals[member_id] += points
        reached[member_id] = max(reached.get(member_id, created), created)
    order = sorted(
        totals,
        key=lambda pk: (-totals[pk], reached[pk], members[pk].name_pinyin, pk),
    )
    return [(pk, totals[pk]) for pk in order[:10]]


def test_closed_top10s_are_the_ledger_s_and_the_page_s(demo, admin_client):
    snapshots = RankingSnapshot.objects.select_related("organization").order_by("period")
    assert snapshots.values("period").distinct().count() == 12
    with_rows = 0
    for snap in snapshots:
        closed = list(snap.rows.order_by("rank").values_list("member_id", "total"))
        assert closed == _top10(snap.organization, snap.period), (snap.organization, snap.period)
        with_rows += bool(closed)
    assert with_rows >= 12
    snap = snapshots.filter(rows__isnull=False).last()
    page = admin_client.get(f"/points/org/{snap.organization_id}/?period={snap.period}")
    shown = [(p.member_id, p.total) for p in page.context["places"]]
    assert shown == _top10(snap.organization, snap.period)


def _on_time(path, year, now):
    solved_in_time = due = 0
    for status, finish_due, solved_at in ResidentRequest.objects.filter(
        organization__path__startswith=path, finish_due__year=year
    ).values_list("status", "finish_due", "solved_at"):
        on_time = status == Status.SOLVED and solved_at <= finish_due
        if finish_due <= now or on_time:
            due += 1
            solved_in_time += on_time
    return round(100 * solved_in_time / due, 1) if due else None


def test_on_time_rates_are_recomputed_from_the_requests(demo):
    now = timezone.now()
    year = timezone.localdate().year
    streets = Organization.objects.filter(
        pk__in=ResidentRequest.objects.values("organization__pk")
    ).values_list("path", flat=True)
    committees = {
        o.pk: o
        for o in Organization.objects.filter(kind="committee")
        if any(p.startswith(o.path) for p in streets)
    }
    rates = INDICATORS["requests.on_time_rate"].compute(
        Organization.objects.filter(pk__in=committees), year
    )
    assert any(v is not None for v in rates.values())
    for pk, org in committees.items():
        assert rates[pk] == _on_time(org.path, year, now), org.name


def test_stars_are_recomputed_from_the_records(demo, admin_client):
    """Every item from its indicator or its reviewer score, the re-scaled percentage, the
    thresholds and last year's stars with the limits: the stars the pages show."""
    ratings = StarRating.objects.select_related("assessment__standard", "organization")
    assert ratings.values("year").distinct().count() == 2
    values = {}
    for rating in ratings.order_by("year", "organization__path"):
        org, year, standard = rating.organization, rating.year, rating.assessment.standard
        score = max_score = 0
        for item in standard.items.all():
            if item.kind == ItemKind.REVIEWED:
                review = ReviewScore.objects.get(organization=org, item=item)
                score += review.score
                max_score += item.max_score
                continue
            if (item.code, year) not in values:
                orgs = Organization.objects.filter(
                    pk__in=ratings.filter(year=year).values("organization")
                )
                values[item.code, year] = INDICATORS[item.code].compute(orgs, year)
            value = values[item.code, year].get(org.pk)
            if value is None:
                continue  # 无数据: left out of the maximum
            score += computed_score(quantize(value), item.max_score, item.target)
            max_score += item.max_score
        percent = percent_of(score, max_score)
        assert percent == rating.assessment.percent, (org.name, year)
        computed = stars_for(percent, standard.thresholds)
        previous = (
            StarRating.objects.filter(organization=org, year=year - 1)
            .values_list("stars", flat=True)
            .first()
        )
        stars, _ = apply_limits(
            computed, previous, max_promote=standard.max_promote, max_demote=standard.max_demote
        )
        assert (computed, stars, previous) == (
            rating.computed_stars,
            rating.stars,
            rating.previous_stars,
        ), (org.name, year)
        page = admin_client.get(f"/assessment/org/{org.pk}/?year={year}")
        shown = {r.organization_id: r.stars for r in page.context["ratings"]}
        assert shown[org.pk] == rating.stars


def test_meeting_compliance_behind_the_stars_is_today_s(demo):
    """The compliance the evaluation stored for this year equals the compliance computed
    now from the meetings (nothing was written around the meetings services)."""
    year = timezone.localdate().year
    stored = StarRating.objects.filter(year=year).select_related("assessment")
    orgs = Organization.objects.filter(pk__in=stored.values("organization"))
    now = INDICATORS["meetings.compliance"].compute(orgs, year)
    for rating in stored:
        item = rating.assessment.items.filter(item__code="meetings.compliance").first()
        assert item is not None
        expected = (
            None if now[rating.organization_id] is None else quantize(now[rating.organization_id])
        )
        assert item.value == expected, rating.organization.name
    assert any(v for v in now.values())


def test_reviews_and_life_meetings_of_last_december(demo):
    from xianfeng.meetings.models import Meeting, ReviewResult
    from xianfeng.meetings.rules import MeetingKind

    december = date(timezone.localdate().year - 1, 12, 1)
    kinds = set(
        Meeting.objects.filter(
            held_on__gte=december, held_on__lt=december.replace(year=december.year + 1, month=1)
        ).values_list("kind", flat=True)
    )
    assert {MeetingKind.LIFE_MEETING, MeetingKind.DEMOCRATIC_REVIEW} <= kinds
    results = ReviewResult.objects.filter(year=december.year)
    assert results.count() > 100
    assert not results.filter(meeting__isnull=True).exists()  # entered after the meeting


def test_loading_again_books_nothing(demo):
    from xianfeng.meetings.models import Meeting

    models = (PointEvent, PointTotal, RankingSnapshot, Meeting, Attendance, ResidentRequest)
    first = {m.__name__: m.objects.count() for m in models}
    call_command("load_demo", stdout=StringIO())
    assert {m.__name__: m.objects.count() for m in models} == first
