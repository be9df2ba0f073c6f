from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xianfeng.core.errors import DomainError
from xianfeng.testing import make_member

from .. import rankings, services
from ..card import token_for
from ..models import AppendOnly, PointClaim, PointEvent, RankingRow, RankingSnapshot
from .factories import PNG, make_rule, rule

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 10)


def give(member, points_rule, token):
    return services.award_points(member, points_rule, token=token, actor=None)


def names(places):
    return [p.member_name for p in places]


# ---------------------------------------------------------------- ties


def test_ties_go_to_who_reached_the_total_first_then_pinyin(world, clock):
    deed = rule("good.deed")
    a, b, c = (make_member(world.branch2, n) for n in ("王甲", "阿乙", "赵丙"))
    clock.set(MARCH, time(9, 0))
    give(b, deed, "b1")  # 3 points at 9:00
    give(c, deed, "c1")  # 3 points at 9:00, 赵 (zhao) after 阿 (a)
    clock.set(MARCH, time(8, 0))
    give(a, deed, "a1")  # 3 points at 8:00: reached first
    assert names(rankings.top(world.branch2, "2026-03")) == ["王甲", "阿乙", "赵丙"]
    clock.set(MARCH, time(10, 0))
    give(c, deed, "c2")  # 6 points: first on total
    assert names(rankings.top(world.branch2, "2026-03")) == ["赵丙", "王甲", "阿乙"]
    assert rankings.rank_of(b, world.branch2, "2026-03") == (3, 3)
    assert rankings.rank_of(b, world.street, "2026-Q1") == (3, 3)
    assert [p.rank for p in rankings.top(world.branch2, "2026", n=2)] == [1, 2]


def test_a_deduction_moves_a_member_down(world, clock):
    clock.set(MARCH)
    a, b = make_member(world.branch2, "甲"), make_member(world.branch2, "乙")
    give(a, rule("pioneer.post"), "a")
    give(b, rule("good.deed"), "b")
    clock.set(MARCH, time(10, 0))
    give(a, rule("dues.late"), "a-")  # 甲 comes down to 3 after 乙 reached 3
    assert [(p.member_name, p.total) for p in rankings.top(world.branch2, "2026-03")] == [
        ("乙", 3),
        ("甲", 3),
    ]


# ---------------------------------------------------------------- snapshots


def test_a_closed_month_is_frozen(world, clock):
    clock.set(MARCH)
    give(world.member, rule("good.deed"), "a")
    with pytest.raises(DomainError, match="尚未结束"):
        rankings.close_month(world.street, "2026-03", actor=None)
    with pytest.raises(DomainError, match="按月"):
        rankings.close_month(world.street, "2026-Q1", actor=None)
    clock.set(date(2026, 4, 1))
    snap = rankings.close_month(world.street, "2026-03", actor=world.users["street_admin"])
    with pytest.raises(DomainError, match="已结账"):
        rankings.close_month(world.street, "2026-03", actor=None)
    row = snap.rows.get()
    assert (row.rank, row.member_name, row.total) == (1, "张三", 3)
    for change in (lambda: row.save(), row.delete, snap.delete):
        with pytest.raises(AppendOnly):
            change()
    with pytest.raises(AppendOnly):
        RankingRow.objects.filter(pk=row.pk).update(total=99)
    with pytest.raises(AppendOnly):
        RankingSnapshot.objects.all().delete()
    give(world.member, rule("good.deed"), "b")  # booked in April: March stays closed
    assert RankingRow.objects.get(pk=row.pk).total == 3


# ---------------------------------------------------------------- pages


def test_branch_secretary_ranks_only_their_subtree(world, login, clock):
    clock.set(MARCH)
    give(world.member, rule("good.deed"), "a")
    give(world.other_member, rule("good.deed"), "b")
    client = login(world.users["branch_secretary"])
    page = client.get(reverse("points:ranking", args=[world.branch.pk]), {"period": "2026-03"})
    assert page.status_code == 200 and "张三" in page.content.decode()
    assert "赵六" not in page.content.decode()
    for org in (world.street, world.other_branch):
        assert client.get(reverse("points:ranking", args=[org.pk])).status_code == 404
    outsider = login(world.users["outsider"])
    assert outsider.get(reverse("points:board", args=[world.branch.pk])).status_code == 404
    assert outsider.get(reverse("points:member", args=[world.member.pk])).status_code == 404


def test_the_monthly_job_closes_last_month_of_every_street_once(world, clock):
    from ..tasks import close_points_month

    clock.set(MARCH)
    give(world.member, rule("good.deed"), "a")
    rankings.close_month(world.street, "2026-02", actor=None)  # closed by hand earlier
    clock.set(date(2026, 4, 1))
    assert close_points_month.call_local() == 3  # every 党委/党工委: 天桥区委, 北坦, 郭店
    closed = RankingSnapshot.objects.filter(period="2026-03")
    assert set(closed.values_list("organization", flat=True)) == {
        world.district.pk,
        world.street.pk,
        world.other_street.pk,
    }
    assert close_points_month.call_local() == 0


def test_board_prints_a_closed_month(world, login, clock):
    clock.set(MARCH)
    give(world.member, rule("good.deed"), "a")
    clock.set(date(2026, 4, 2))
    rankings.close_month(world.street, "2026-03", actor=None)
    page = login(world.users["observer"]).get(
        reverse("points:board", args=[world.street.pk]), {"period": "2026-03", "paper": "A3"}
    )
    text = page.content.decode()
    assert "size: A3" in text and "张三" in text and "结账" in text


def test_award_form_double_submit_books_once(world, login):
    client = login(world.users["branch_secretary"])
    url = reverse("points:award", args=[world.member.pk])
    data = {"rule": rule("good.deed").pk, "token": "abc123", "note": ""}
    for _ in range(2):
        assert client.post(url, data).status_code == 302
    assert PointEvent.objects.filter(member=world.member).count() == 1


def test_close_month_page_needs_manage_on_the_org(world, login, clock):
    clock.set(date(2026, 4, 2))
    url = reverse("points:close", args=[world.street.pk])
    assert (
        login(world.users["branch_secretary"]).post(url, {"period": "2026-03"}).status_code == 403
    )
    login(world.users["street_admin"]).post(url, {"period": "2026-03"})
    assert RankingSnapshot.objects.filter(organization=world.street, period="2026-03").exists()


def test_member_sees_own_points_and_rank_on_the_phone_page(world, login, clock):
    clock.set(MARCH)
    give(world.member, rule("good.deed"), "a")
    page = login(world.users["member"]).get(reverse("points:me"))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'name="viewport"' in text and "好人好事" in text and "第 1 名" in text


def test_claim_with_fake_evidence_is_refused(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.users["member"])
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    data = {"rule": rule("good.deed").pk, "occurred_on": "2026-01-05", "description": "x"}
    client.post(reverse("points:my_claim"), {**data, "evidence": fake})
    assert not PointClaim.objects.exists()
    real = SimpleUploadedFile("photo.jpg", PNG, content_type="image/jpeg")
    client.post(reverse("points:my_claim"), {**data, "evidence": real})
    assert PointClaim.objects.get().evidence.name.endswith(".png")


def test_card_scan_resolves_in_scope_only(world, login):
    token = token_for(world.member)
    assert str(world.member.id_number) not in token
    url = reverse("points:scan", args=[token])
    assert login(world.users["branch_secretary"]).get(url).status_code == 200
    assert login(world.users["outsider"]).get(url).status_code == 404
    forged = reverse("points:scan", args=[token[:-2] + "xx"])
    assert login(world.users["branch_secretary"]).get(forged).status_code == 404
    card = login(world.users["member"]).get(reverse("points:my_card"))
    assert b"data:image/svg+xml" in card.content


def test_rule_revision_page_keeps_history(world, login):
    scoped = make_rule("street.rule", scope=world.street)
    client = login(world.users["street_admin"])
    form = {
        "name": "新名称",
        "points": 4,
        "valid_from": "2020-01-01",
        "scope": world.street.pk,
        "needs_approval": "on",
    }
    response = client.post(reverse("points:rule_edit", args=[scoped.pk]), form)
    assert response.status_code == 302
    assert list(
        type(scoped).objects.filter(code="street.rule").values_list("version", "points")
    ) == [(2, 4), (1, 3)]
    # A global rule is the city's: a street office cannot revise it.
    url = reverse("points:rule_edit", args=[rule("good.deed").pk])
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- API


def test_api_ledger_and_rankings_are_scoped(world, api, clock):
    clock.set(MARCH)
    give(world.member, rule("good.deed"), "a")
    secretary = api(world.users["branch_secretary"])
    ledger = secretary.get(reverse("api:points-ledger", args=[world.member.pk])).json()
    assert [e["points"] for e in ledger["results"]] == [3]
    ranking = secretary.get(
        reverse("api:points-rankings"), {"org": world.branch.pk, "period": "2026-03"}
    ).json()
    assert ranking["places"][0]["member_name"] == "张三" and ranking["closed"] is False
    outsider = api(world.users["outsider"])
    assert outsider.get(reverse("api:points-rankings"), {"org": world.branch.pk}).status_code == 404
    bad = secretary.get(reverse("api:points-rankings"), {"org": world.branch.pk, "period": "3月"})
    assert bad.status_code == 400


def test_ranking_page_queries_do_not_grow_with_members(
    world, login, clock, django_assert_max_num_queries
):
    clock.set(MARCH)
    for i in range(12):
        give(make_member(world.branch2, f"成员{i}"), rule("good.deed"), f"m{i}")
    client = login(world.users["street_admin"])
    with django_assert_max_num_queries(10):
        page = client.get(reverse("points:ranking", args=[world.street.pk]), {"period": "2026-03"})
    assert page.content.decode().count("<tr>") == 11  # header + TOP10
    with django_assert_max_num_queries(10):
        client.get(reverse("points:board", args=[world.street.pk]), {"period": "2026-03", "n": 12})
