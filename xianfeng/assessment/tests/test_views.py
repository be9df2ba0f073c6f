from decimal import Decimal

import pytest
from django.urls import reverse

from xianfeng.assessment import services
from xianfeng.assessment.models import (
    MemberAssessment,
    MemberWeights,
    ReviewScore,
    SecretaryScore,
    Stage,
    Standard,
    StarRating,
)

from .factories import YEAR, make_standard, rated, registered


@pytest.fixture
def standard(world):
    return make_standard(items=[("三会一课", 50, "test.meetings", 100), ("班子建设", 50, "", 0)])


def _url(name, pk=None, year=YEAR):
    return f"{reverse(name, args=[pk] if pk else [])}?year={year}"


def test_round_page_evaluates_and_shows_distribution(world, login, standard):
    client = login(world.users["committee_secretary"])
    with registered("test.meetings", {world.branch.pk: 100, world.branch2.pk: 20}):
        r = client.post(_url("assessment:evaluate", world.street.pk))
    assert r.status_code == 302
    page = client.get(_url("assessment:round", world.street.pk))
    html = page.content.decode()
    assert "北关社区党支部" in html and "软弱涣散" in html
    # 北关 50 of 100 (not yet reviewed), 北坦 10 of 100: both one star
    assert page.context["chart"] == {"distribution": {"社区": [2, 0, 0, 0, 0]}}
    assert 'id="assessment-chart-data"' in html


def test_scorecard_radar_history_and_review_from_above(world, login, standard):
    item = standard.items.get(name="班子建设")
    client = login(world.users["committee_secretary"])
    r = client.post(
        _url("assessment:review", world.branch.pk),
        {"item": item.pk, "score": "45", "evidence": "查阅会议记录"},
    )
    assert r.status_code == 302 and ReviewScore.objects.get().score == Decimal(45)
    with registered("test.meetings", {world.branch.pk: 90}):
        services.evaluate_round(world.street, YEAR, actor=world.users["admin"])
    page = client.get(_url("assessment:scorecard", world.branch.pk))
    radar = page.context["chart"]["radar"]
    assert radar == [
        {"name": "三会一课", "max": 50.0, "value": 45.0},
        {"name": "班子建设", "max": 50.0, "value": 45.0},
    ]
    assert "vendor/echarts-5.6.0.min.js" in page.content.decode()
    assert page.context["may_review"] is True
    # The branch's own secretary sees the scorecard but may not review it.
    own = login(world.users["branch_secretary"])
    assert own.get(_url("assessment:scorecard", world.branch.pk)).context["may_review"] is False
    r = own.post(
        _url("assessment:review", world.branch.pk),
        {"item": item.pk, "score": "50", "evidence": "自评"},
    )
    assert r.status_code == 403
    assert ReviewScore.objects.get().score == Decimal(45)


def test_review_of_an_over_max_score_is_refused_with_a_message(world, login, standard):
    item = standard.items.get(name="班子建设")
    client = login(world.users["committee_secretary"])
    r = client.post(
        _url("assessment:review", world.branch.pk),
        {"item": item.pk, "score": "51", "evidence": "x"},
        follow=True,
    )
    assert "评分应在 0 到 50.00 之间" in r.content.decode()
    assert not ReviewScore.objects.exists()


def test_outsider_gets_404_everywhere(world, login, standard):
    rated(world, YEAR)
    client = login(world.users["outsider"])
    for name in ("round", "scorecard", "plaque", "wall", "members"):
        assert client.get(_url(f"assessment:{name}", world.branch.pk)).status_code == 404
    assert client.get(_url("assessment:member_history", world.member.pk)).status_code == 404
    r = client.post(_url("assessment:secretary_score", world.member.pk), {"score": "90"})
    assert r.status_code == 404 and not SecretaryScore.objects.exists()


def test_plaque_and_wall(world, login, standard):
    rated(world, YEAR)
    client = login(world.users["observer"])
    html = client.get(_url("assessment:plaque", world.branch.pk)).content.decode()
    assert "北关社区党支部" in html and "★" in html and "@page { size: A4" in html
    assert f"天桥区委 · {YEAR}年度基层党组织评星定级" in html and "一星级党组织" in html
    assert client.get(_url("assessment:plaque", world.branch2.pk)).status_code == 404
    wall = client.get(_url("assessment:wall", world.street.pk))
    rows = dict(wall.context["rows"])
    assert [r.organization for r in rows[1]] == [world.branch]


def test_publish_then_no_more_evaluation(world, login, standard):
    client = login(world.users["committee_secretary"])
    with registered("test.meetings", {}):
        client.post(_url("assessment:evaluate", world.street.pk))
        client.post(_url("assessment:publish", world.street.pk))
        r = client.post(_url("assessment:evaluate", world.street.pk), follow=True)
    assert "已发布" in r.content.decode()
    assert StarRating.objects.filter(assessment__round__stage=Stage.PUBLISHED).count() == 2


def test_rectification_plan_flow(world, login, standard):
    objects = rated(world, YEAR)
    client = login(world.users["committee_secretary"])
    r = client.post(_url("assessment:plan_status", objects["plan"]), {"status": "in_progress"})
    assert r.status_code == 302
    page = client.get(reverse("assessment:rectifications"))
    assert "整改中" in page.content.decode()


def test_member_page_secretary_score_and_evaluate(world, login, without_providers):
    client = login(world.users["branch_secretary"])
    r = client.post(_url("assessment:secretary_score", world.member.pk), {"score": "92"})
    assert r.status_code == 302
    client.post(_url("assessment:member_evaluate", world.branch.pk))
    result = MemberAssessment.objects.get(member=world.member, year=YEAR)
    assert (result.total, result.grade) == (Decimal("92.00"), "优秀")
    page = client.get(_url("assessment:members", world.branch.pk))
    html = page.content.decode()
    assert "未接入" in html and "92.00" in html
    assert client.post(_url("assessment:member_publish", world.branch.pk)).status_code == 403
    history = client.get(reverse("assessment:member_history", args=[world.member.pk]))
    assert "92.00" in history.content.decode()


def test_bad_secretary_score_is_refused(world, login):
    client = login(world.users["branch_secretary"])
    r = client.post(
        _url("assessment:secretary_score", world.member.pk), {"score": "101"}, follow=True
    )
    assert "0 到 100" in r.content.decode()
    assert not SecretaryScore.objects.exists()


def test_weights_only_from_the_top(world, login):
    data = {"points": "50", "review": "20", "secretary": "30"}
    assert (
        login(world.users["street_admin"]).post(_url("assessment:weights"), data).status_code == 403
    )
    admin = login(world.users["admin"])
    r = admin.post(_url("assessment:weights"), {**data, "points": "60"}, follow=True)
    assert "之和应为 100" in r.content.decode()
    assert admin.post(_url("assessment:weights"), data).status_code == 302
    assert MemberWeights.objects.get(year=YEAR).weights == {
        "points": 50,
        "review": 20,
        "secretary": 30,
    }


def test_standards_install_page(world, login):
    admin = login(world.users["admin"])
    assert admin.post(_url("assessment:standards_install")).status_code == 302
    page = admin.get(_url("assessment:standards"))
    assert Standard.objects.filter(year=YEAR).count() == 8
    html = page.content.decode()
    assert "dues.collection" in html and "已接入" in html and "未接入" in html


def test_api_ratings_scoped_with_items(world, api, standard):
    rated(world, YEAR)
    body = api(world.users["observer"]).get("/api/v1/star-ratings/", {"year": YEAR}).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["organization_name"] for r in rows] == ["北关社区党支部"]
    assert rows[0]["stars"] == 1 and rows[0]["weak_and_lax"] is True
    out = api(world.users["outsider"]).get("/api/v1/star-ratings/").json()
    assert (out["results"] if isinstance(out, dict) else out) == []
    assert (
        api(world.users["observer"]).get("/api/v1/star-ratings/", {"year": 10**9}).status_code
        == 400
    )


def test_an_indicator_without_data_shows_no_data_and_is_left_out(world, login, standard):
    item = standard.items.get(name="班子建设")
    services.set_review_score(
        world.branch, item, score=Decimal(40), evidence="查阅会议记录", actor=world.users["admin"]
    )
    with registered("test.meetings", {}):  # no value for 北关: 无数据, not 0
        services.evaluate_round(world.street, YEAR, actor=world.users["admin"])
    rating = StarRating.objects.get(organization=world.branch, year=YEAR)
    assert rating.assessment.max_score == 50 and rating.assessment.percent == 80
    page = login(world.users["committee_secretary"]).get(
        _url("assessment:scorecard", world.branch.pk)
    )
    assert "无数据" in page.content.decode()
