"""The campaigns API: scoped (another street's campaign is a 404), masked, filters, the board,
and the writes through the services with Chinese 4xx."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from xianfeng.campaigns import services
from xianfeng.campaigns.models import Case, CaseVisit
from xianfeng.core.models import AuditLog
from xianfeng.members.idcard import make_id_number

from .factories import campaign, case

pytestmark = pytest.mark.django_db

ID1 = make_id_number("370112", date(1960, 5, 1), 11)


def api(world, role):
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


@pytest.fixture
def setup(world):
    c = campaign(world)
    h = case(c, "A001", id_number=ID1, persons=[("王小章", "子", ID1)])
    case(c, "A002", case_class=c.classes.first(), group=c.groups.first())
    theirs = campaign(world, street=world.other_street, branch_code="TMPX")
    their_case = case(theirs, "X001")
    return c, h, theirs, their_case


def test_campaigns_are_scoped_and_another_streets_is_404(world, setup):
    c, h, theirs, their_case = setup
    client = api(world, "street_admin")
    listed = client.get("/api/v1/campaigns/").json()
    assert [row["id"] for row in listed["results"]] == [c.pk]
    assert client.get(f"/api/v1/campaigns/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/campaigns/{theirs.pk}/board/").status_code == 404
    assert client.get(f"/api/v1/campaign-cases/{their_case.pk}/").status_code == 404
    post = client.post(f"/api/v1/campaign-cases/{their_case.pk}/stage/", {"stage": "negotiating"})
    assert post.status_code == 404
    # and the other street sees its own only
    outsider = api(world, "outsider")
    assert outsider.get(f"/api/v1/campaigns/{c.pk}/").status_code == 404
    assert api(world, "member").get("/api/v1/campaigns/").status_code == 403


def test_cases_are_masked_and_filtered(world, setup):
    c, h, _theirs, _their = setup
    client = api(world, "street_admin")
    row = client.get(f"/api/v1/campaign-cases/{h.pk}/").json()
    assert row["phone"] == "139****5678" and row["id_number"] == "370112**********" + ID1[-2:]
    assert ID1 not in str(row)
    assert row["persons"][0]["id_number"].startswith("370112**")
    assert row["stage_label"] == "已摸底" and row["version"] == 0

    def numbers(**query):
        rows = client.get("/api/v1/campaign-cases/", query).json()["results"]
        return [r["number"] for r in rows]

    assert numbers(campaign=c.pk) == ["A001", "A002"]
    assert numbers(campaign=c.pk, case_class=c.classes.first().pk) == ["A002"]
    assert numbers(group=c.groups.first().pk) == ["A002"]
    assert numbers(stage="negotiating") == []
    assert numbers(search="A001") == ["A001"]
    services.assign_case(h, actor=None, responsible=world.users["member"])
    assert numbers(responsible=world.users["member"].pk) == ["A001"]
    bad = client.get("/api/v1/campaign-cases/", {"stage": "nope"})
    assert bad.status_code == 400


def test_the_list_costs_the_same_queries_for_two_households_or_twenty(world, setup):
    c, *_ = setup
    client = api(world, "street_admin")
    client.get("/api/v1/campaign-cases/")  # the login's grants are cached on it after this
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/campaign-cases/", {"campaign": c.pk})
    for i in range(18):
        case(c, f"B{i:03d}", persons=[("某", "子", "")])
    with CaptureQueriesContext(connection) as many:
        assert (
            len(client.get("/api/v1/campaign-cases/", {"campaign": c.pk}).json()["results"]) == 20
        )
    assert len(many) == len(few) == 3  # count, households, their families


def test_a_baohu_cadre_without_grants_reaches_only_their_households(world, setup):
    c, h, *_ = setup
    services.assign_case(h, actor=None, responsible=world.users["member"])
    client = api(world, "member")
    rows = client.get("/api/v1/campaign-cases/").json()["results"]
    assert [r["number"] for r in rows] == ["A001"]
    moved = client.post(f"/api/v1/campaign-cases/{h.pk}/stage/", {"stage": "negotiating"})
    assert moved.status_code == 200 and moved.json()["stage"] == "negotiating"
    # but may neither assign nor reveal
    assert client.post(f"/api/v1/campaign-cases/{h.pk}/assign/", {}).status_code == 403
    refused = client.post(f"/api/v1/campaign-cases/{h.pk}/reveal/", {"reason": "打电话"})
    assert refused.status_code == 403 and "没有权限" in refused.json()["detail"]


def test_board(world, setup):
    c, h, *_ = setup
    services.change_stage(h, "negotiating", actor=None)
    board = api(world, "observer").get(f"/api/v1/campaigns/{c.pk}/board/").json()
    assert board["total"] == 2 and board["now"][:2] == [1, 1]
    assert board["stages"][0] == {"code": "surveyed", "label": "已摸底"}
    assert sum(row["total"] for row in board["by_group"]) == 2


def test_writes_go_through_the_services_with_chinese_errors(world, setup):
    c, h, *_ = setup
    client = api(world, "street_admin")
    url = f"/api/v1/campaign-cases/{h.pk}"
    skip = client.post(f"{url}/stage/", {"stage": "signed"}, format="json")
    assert skip.status_code == 400 and "不能跳过" in skip.json()["detail"]
    assert client.post(f"{url}/stage/", {"stage": "negotiating"}).status_code == 200
    assert AuditLog.objects.filter(action="campaign.stage").count() == 1

    empty = client.post(f"{url}/visits/", {}, format="json")
    assert empty.status_code == 400 and empty.json()["said"] == ["请填写谈话内容"]
    visit = {"said": "同意评估结果", "key": "k1"}
    assert client.post(f"{url}/visits/", visit, format="json").status_code == 201
    assert client.post(f"{url}/visits/", visit, format="json").status_code == 201
    assert CaseVisit.objects.filter(case=h).count() == 1

    c.leader = world.users["branch_secretary"]  # the campaign's team: who may be 包户
    c.save(update_fields=["leader"])
    group = c.groups.first()
    wrong = client.post(f"{url}/assign/", {"group": 10**9}, format="json")
    assert wrong.status_code == 400 and wrong.json()["group"] == ["工作小组不属于该专项工作"]
    assigned = client.post(
        f"{url}/assign/", {"group": group.pk, "responsible": world.users["branch_secretary"].pk}
    )
    assert assigned.status_code == 200 and assigned.json()["group"] == group.pk
    outsider = client.post(f"{url}/assign/", {"responsible": world.users["outsider"].pk})
    assert outsider.json()["responsible"] == ["包户人不在该专项工作的人员中"]


def test_edit_needs_the_version_and_refuses_a_stale_one(world, setup):
    _c, h, *_ = setup
    client = api(world, "street_admin")
    url = f"/api/v1/campaign-cases/{h.pk}/"
    missing = client.patch(url, {"address": "东辛村1号"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    ok = client.patch(url, {"version": 0, "address": "东辛村1号", "phone": ""}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 1 and ok.json()["phone"] == ""
    stale = client.patch(url, {"version": 0, "address": "东辛村2号"}, format="json")
    assert stale.status_code == 400 and stale.json()["code"] == "stale"
    assert "已被他人修改" in stale.json()["detail"]
    bad_id = client.patch(url, {"version": 1, "id_number": "123"}, format="json")
    assert bad_id.status_code == 400 and bad_id.json()["field"] == "id_number"
    assert Case.objects.get(pk=h.pk).address == "东辛村1号"


def test_reveal_through_the_api_is_audited(world, setup):
    _c, h, *_ = setup
    url = f"/api/v1/campaign-cases/{h.pk}/reveal/"
    client = api(world, "street_admin")
    assert client.post(url, {}, format="json").json()["reason"] == ["请填写查看完整信息的事由"]
    shown = client.post(url, {"reason": "核对协议"}, format="json").json()
    assert shown["id_number"] == ID1 and shown["persons"][0]["id_number"] == ID1
    assert AuditLog.objects.filter(action="campaign.case_reveal").count() == 1
    assert api(world, "observer").post(url, {"reason": "看看"}).status_code == 403
    assert AuditLog.objects.filter(action="campaign.case_reveal").count() == 1
