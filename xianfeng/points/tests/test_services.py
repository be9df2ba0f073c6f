from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.core.events import INDICATORS, POINT_CODES, point_withdrawn
from xianfeng.members import services as member_services
from xianfeng.notices.models import Notice, NoticeKind
from xianfeng.orgs.models import Domain
from xianfeng.testing import in_threads, needs_pg

from .. import services
from ..checks import rules_in_database, senders_have_rules
from ..models import AppendOnly, ClaimStatus, EventKind, PointEvent, PointRule
from ..receivers import UnknownPointCode
from .factories import declared, make_rule, rollup, rollup_from_ledger, rule, send, total_of

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 10)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def withdraw(member, code, source):
    point_withdrawn.send(
        sender=type(source), member=member, rule_code=code, source=source, reason="更正"
    )


def award(member, a_rule, token, actor=None):
    return services.award_points(member, a_rule, token=token, actor=actor)


# ---------------------------------------------------------------- caps


def test_month_cap_cuts_the_award_at_the_edge_then_refuses(world, clock):
    clock.set(MARCH)
    capped = make_rule(points=3, cap_month=10)
    assert [award(world.member, capped, t).points for t in "abc"] == [3, 3, 3]
    assert award(world.member, capped, "d").points == 1  # 9 + 3 would cross 10
    with pytest.raises(DomainError, match="已达上限"):
        award(world.member, capped, "e")
    assert total_of(world.member, "2026-03") == 10
    clock.set(date(2026, 4, 1))  # a new month starts from zero
    assert award(world.member, capped, "f").points == 3


def test_year_cap_counts_across_months(world, clock):
    capped = make_rule(points=4, cap_month=4, cap_year=10)
    for month, token in ((1, "a"), (2, "b")):
        clock.set(date(2026, month, 15))
        assert award(world.member, capped, token).points == 4
    clock.set(date(2026, 3, 15))
    assert award(world.member, capped, "c").points == 2
    clock.set(date(2026, 4, 15))
    with pytest.raises(DomainError):
        award(world.member, capped, "d")
    clock.set(date(2027, 1, 2))
    assert award(world.member, capped, "e").points == 4


def test_a_reversal_frees_room_under_the_cap(world, clock):
    clock.set(MARCH)
    capped = make_rule(points=5, cap_month=5)
    first = award(world.member, capped, "a")
    services.reverse_event(first, reason="误登记", actor=None)
    assert award(world.member, capped, "b").points == 5


# ---------------------------------------------------------------- the ledger


def test_reversal_is_a_new_negative_row_and_only_once(world, clock):
    clock.set(MARCH)
    event = award(world.member, rule("good.deed"), "a")
    clock.set(date(2026, 4, 2))
    reversal = services.reverse_event(event, reason="重复登记", actor=world.users["admin"])
    assert (reversal.points, reversal.kind, reversal.reverses) == (-3, EventKind.REVERSAL, event)
    assert reversal.booked_on == date(2026, 4, 2)  # March stays as it was
    assert total_of(world.member, "2026-03") == 3
    assert total_of(world.member, "2026-04") == -3
    assert total_of(world.member, "2026") == 0
    with pytest.raises(DomainError, match="已冲正"):
        services.reverse_event(event, reason="再来", actor=None)
    with pytest.raises(DomainError, match="不能再冲正"):
        services.reverse_event(reversal, reason="再来", actor=None)
    with pytest.raises(DomainError, match="原因"):
        services.reverse_event(award(world.member, rule("good.deed"), "b"), reason="", actor=None)
    assert PointEvent.objects.filter(member=world.member).count() == 3


def test_ledger_rows_cannot_be_changed_or_deleted(world):
    event = award(world.member, rule("good.deed"), "a")
    event.points = 100
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        PointEvent.objects.filter(pk=event.pk).update(points=100)
    with pytest.raises(AppendOnly):
        PointEvent.objects.all().delete()
    assert PointEvent.objects.get(pk=event.pk).points == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_raw_updates(world):
    from django.db import DatabaseError, transaction

    event = award(world.member, rule("good.deed"), "a")
    for sql in ("UPDATE points_pointevent SET points = 9", "DELETE FROM points_pointevent"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert PointEvent.objects.get(pk=event.pk).points == 3


def test_same_form_token_awards_once(world):
    first = award(world.member, rule("good.deed"), "token-1")
    again = award(world.member, rule("good.deed"), "token-1")
    assert first.pk == again.pk
    assert PointEvent.objects.count() == 1
    with pytest.raises(DomainError):
        award(world.member, rule("good.deed"), "")


# ---------------------------------------------------------------- events from other apps


def test_point_event_books_once_per_source(world):
    send(world.member, "meeting.attend", world.branch)
    send(world.member, "meeting.attend", world.branch)  # a retry
    send(world.member, "study.hours", world.branch, hours=1)  # another rule, same source
    events = PointEvent.objects.filter(member=world.member)
    assert sorted(events.values_list("rule_code", flat=True)) == ["meeting.attend", "study.hours"]
    event = events.get(rule_code="meeting.attend")
    assert (event.kind, event.source_type, event.source_id) == (
        "auto",
        "orgs.organization",
        str(world.branch.pk),
    )


def test_an_unknown_code_fails_in_tests_and_is_an_error_in_the_log(world, settings, caplog):
    with pytest.raises(UnknownPointCode, match="not declared"):
        send(world.member, "no.such.rule", world.branch)
    with declared("no.such.rule"), pytest.raises(UnknownPointCode, match="no rule"):
        send(world.member, "no.such.rule", world.branch)
    settings.POINTS_STRICT = False  # production: the sender's save stands, the log says why
    send(world.member, "no.such.rule", world.branch)
    assert [r.levelname for r in caplog.records] == ["ERROR"]
    assert not PointEvent.objects.exists()


def test_every_code_a_sender_declares_has_a_catalogue_rule(world):
    assert senders_have_rules() == []  # imports every app's services and urls first
    assert {
        "meeting.attend",
        "absent.meeting",
        "request.solved",
        "service.activity",
        "volunteer.hours",
        "project.finished",
        "study.hours",
        "instructor.visit",
        "dues.late",
    } <= set(POINT_CODES)
    assert rules_in_database(databases=["default"]) == []
    with declared("nobody.has.this"):
        assert [e.id for e in senders_have_rules()] == ["points.E001"]
        assert [e.id for e in rules_in_database(databases=["default"])] == ["points.E002"]


def test_point_event_ignores_rules_out_of_scope(world):
    make_rule("rural.only", domains=[Domain.RURAL])
    make_rule("other.street", scope=world.other_street)
    make_rule("expired", valid_to=date(2021, 1, 1))
    with declared("rural.only", "other.street", "expired"):
        send(world.member, "rural.only", world.branch)  # 北关社区 is a community branch
        send(world.member, "other.street", world.branch)
        send(world.member, "expired", world.branch)
        assert not PointEvent.objects.exists()
        send(world.other_member, "rural.only", world.branch)
        send(world.other_member, "other.street", world.branch)
    assert PointEvent.objects.filter(member=world.other_member).count() == 2


def test_hour_rules_pay_per_started_hour_within_the_caps(world, clock):
    clock.set(MARCH)
    study = rule("study.hours")  # +1 per hour, ≤ 8 a month
    assert study.per_hour
    send(world.member, "study.hours", world.branch, hours=Decimal("2.5"))
    send(world.member, "study.hours", world.branch2, hours=Decimal("0.4"))
    send(world.member, "study.hours", world.street, hours=Decimal("7"))
    points = list(PointEvent.objects.order_by("id").values_list("points", flat=True))
    assert points == [3, 1, 4]  # 2.5 h → 3, 0.4 h → 1, then cut to the month's 8
    with pytest.raises(DomainError, match="须记录时长"):
        services.book_points(
            world.member,
            study,
            kind=EventKind.AUTO,
            source_type="test",
            source_id=1,
            occurred_on=MARCH,
            actor=None,
        )


def test_withdrawing_a_source_reverses_it_and_a_second_correction_books_again(world, clock):
    clock.set(MARCH)
    send(world.member, "meeting.attend", world.branch)
    withdraw(world.member, "meeting.attend", world.branch)
    withdraw(world.member, "meeting.attend", world.branch)  # twice: reversed once
    assert total_of(world.member, "2026-03") == 0
    send(world.member, "meeting.attend", world.branch)  # corrected back to present
    send(world.member, "meeting.attend", world.branch)  # a retry of that
    rows = list(PointEvent.objects.order_by("id").values_list("kind", "points", "source_id"))
    branch = str(world.branch.pk)
    assert rows[0] == ("auto", 2, branch) and rows[1][:2] == ("reversal", -2)
    assert rows[2] == ("auto", 2, f"{branch}#2") and len(rows) == 3
    assert total_of(world.member, "2026-03") == 2


def test_a_street_rule_overrides_the_city_rule_for_its_subtree(world, clock):
    clock.set(MARCH)
    city = rule("meeting.attend")
    street = make_rule("meeting.attend", points=4, cap_month=4, scope=world.street)
    assert services.current_rule("meeting.attend", world.branch) == street
    assert services.current_rule("meeting.attend", world.other_branch) == city
    assert services.current_rule("meeting.attend") == city
    send(world.member, "meeting.attend", world.branch)
    send(world.member, "meeting.attend", world.branch2)  # the street's cap: 4 a month
    send(world.other_member, "meeting.attend", world.other_branch)
    assert total_of(world.member, "2026-03") == 4
    assert total_of(world.other_member, "2026-03") == 2
    revised = services.revise_rule(street, points=3, actor=None)
    assert (revised.version, revised.scope) == (2, world.street)
    assert services.current_rule("meeting.attend", world.branch) == revised
    with pytest.raises(DomainError, match="已存在"):
        make_rule("meeting.attend", scope=world.street)
    with pytest.raises(DomainError, match="不能改变适用组织"):
        services.revise_rule(street, scope=world.other_street, actor=None)


def test_revising_a_rule_never_rewrites_booked_points(world):
    old = rule("meeting.attend")
    send(world.member, "meeting.attend", world.branch)
    revised = services.revise_rule(old, points=5, actor=world.users["street_admin"])
    assert (revised.version, revised.points, revised.code) == (2, 5, "meeting.attend")
    send(world.member, "meeting.attend", world.branch2)
    points = dict(PointEvent.objects.values_list("rule__version", "points"))
    assert points == {1: 2, 2: 5}
    assert PointRule.objects.get(pk=old.pk).points == 2
    with pytest.raises(DomainError):
        services.revise_rule(old, points=0, actor=None)


# ---------------------------------------------------------------- claims


def claim(member, code="good.deed"):
    evidence = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    return services.submit_claim(
        member,
        rule(code),
        occurred_on=date(2026, 3, 1),
        description="帮助独居老人",
        evidence=evidence,
        actor=None,
    )


def test_a_claim_is_booked_when_approved_and_decided_once(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pending = claim(world.member)
    assert pending.status == ClaimStatus.PENDING and not PointEvent.objects.exists()
    # The branch's own secretary is asked to approve, not everyone above who could.
    (notice,) = Notice.objects.filter(kind=NoticeKind.CLAIM)
    assert notice.recipient == world.users["branch_secretary"] and world.member.name in notice.title
    event = services.approve_claim(pending, actor=world.users["branch_secretary"])
    assert (event.kind, event.points, event.approved_by) == (
        EventKind.CLAIM,
        3,
        world.users["branch_secretary"],
    )
    with pytest.raises(DomainError, match="已审核"):
        services.approve_claim(pending, actor=world.users["branch_secretary"])
    with pytest.raises(DomainError, match="已审核"):
        services.reject_claim(pending, reason="x", actor=None)
    with pytest.raises(DomainError, match="不接受"):
        claim(world.member, "meeting.attend")


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_count_once(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pending = claim(world.member)
    outcomes = in_threads(
        *[lambda: services.approve_claim(pending, actor=None) and "ok" for _ in range(3)],
        report="message",
    )
    assert sorted(outcomes) == ["ok", "该申报已审核", "该申报已审核"]
    assert PointEvent.objects.filter(member=world.member).count() == 1
    assert rollup() == rollup_from_ledger()


# ---------------------------------------------------------------- rollups


def test_rollup_equals_the_ledger_after_awards_reversals_and_moves(world, clock):
    clock.set(MARCH)
    members = [world.member, *world.branch.members.exclude(pk=world.member.pk)]
    events = [award(m, rule("good.deed"), f"a{m.pk}") for m in members]
    send(world.member, "meeting.attend", world.branch)
    award(world.member, rule("absent.meeting"), "minus")
    services.reverse_event(events[1], reason="错登", actor=None)
    member_services.move_members([world.member.pk], world.branch2, actor=None)
    clock.set(date(2026, 4, 3))
    award(world.member, rule("good.deed"), "after-move")
    assert rollup() == rollup_from_ledger()
    # Points follow the member: the March total now counts in the new branch's ranking.
    from ..rankings import top

    assert [p.member_name for p in top(world.branch2, "2026-03")] == ["张三"]
    assert "张三" not in [p.member_name for p in top(world.branch, "2026-03")]


def test_indicator_points_per_member(world):
    for m in world.branch.members.all():
        award(m, rule("good.deed"), f"t{m.pk}")
    compute = INDICATORS["points.per_member"].compute
    from django.utils import timezone

    values = compute([world.branch, world.other_branch], timezone.localdate().year)
    assert values[world.branch.pk] == 3
    assert values[world.other_branch.pk] == 0


def test_points_input_scores_against_the_best_in_the_set(world):
    from xianfeng.core.events import MEMBER_INPUTS
    from xianfeng.members.models import Member
    from xianfeng.points.models import PointTotal

    members = Member.objects.filter(organization=world.branch).order_by("pk")
    first, second, *_ = members
    now = timezone.now()
    PointTotal.objects.create(member=first, period="2026", total=80, reached_at=now)
    PointTotal.objects.create(member=second, period="2026", total=20, reached_at=now)
    scores = MEMBER_INPUTS["points"].compute(members, 2026)
    assert scores[first.pk] == 100 and scores[second.pk] == 25
    assert set(scores.values()) >= {0}


def test_the_claims_page_pages_the_waiting_claims_oldest_first(
    world, login, settings, tmp_path, monkeypatch, django_assert_max_num_queries
):
    from django.urls import reverse

    from xianfeng.core import lists

    settings.MEDIA_ROOT = tmp_path
    first = claim(world.member)
    for _ in range(3):
        claim(world.member)
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    client = login(world.users["branch_secretary"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("points:claims")).context["pending"]
    assert page.paginator.count == 4 and page[0] == first and len(page) == 2
    later = client.get(reverse("points:claims"), {"waiting": 2}).context["pending"]
    assert len(later) == 2 and first not in later
