from datetime import date

from xianfeng.members.models import MemberStatus
from xianfeng.standing.models import CaseStatus, LapseAction
from xianfeng.testing import make_member

from .factories import in_status, lapse_case


def test_list_shows_cases_and_members_in_scope_only(world, client):
    mine = lapse_case(make_member(world.branch, "甲乙"))
    theirs = lapse_case(world.other_member)
    lost = in_status(
        make_member(world.branch, "丙丁"), MemberStatus.LOST_CONTACT, date(2024, 1, 15)
    )
    client.force_login(world.users["branch_secretary"])
    page = client.get("/standing/").content.decode()
    assert f"/standing/case/{mine.pk}/" in page and f"/standing/case/{theirs.pk}/" not in page
    assert "党章" in page  # the rules table with its sources
    page = client.get("/standing/?tab=lost").content.decode()
    assert "丙丁" in page and "2024-07-15" in page
    assert client.get(f"/standing/case/{theirs.pk}/").status_code == 404
    client.force_login(world.users["outsider"])
    assert "丙丁" not in client.get("/standing/?tab=lost").content.decode()
    assert client.get(f"/standing/member/{lost.pk}/").status_code == 404


def test_case_action_through_the_page(world, client):
    case = lapse_case(make_member(world.branch, "甲乙"))
    client.force_login(world.users["branch_secretary"])
    url = f"/standing/case/{case.pk}/"
    response = client.post(url, {"kind": "reason_accepted", "on": "2024-07-05", "note": "外出务工"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REASON_ACCEPTED
    again = client.post(url, {"kind": "talked", "on": "2024-07-06", "note": "x"})
    assert again.status_code == 200 and "已办结" in again.content.decode()
    assert LapseAction.objects.count() == 1
    client.force_login(world.users["grid_worker"])
    assert client.post(url, {"kind": "talked", "on": "2024-07-06", "note": "x"}).status_code == 403


def test_suspend_through_the_page_refuses_before_the_edge(world, client):
    lost = in_status(
        make_member(world.branch, "丙丁"), MemberStatus.LOST_CONTACT, date(2024, 1, 15)
    )
    client.force_login(world.users["branch_secretary"])
    url = f"/standing/member/{lost.pk}/"
    early = client.post(url, {"op": "suspend", "on": "2024-07-14", "reason": "查找无果"})
    assert early.status_code == 200 and "2024-07-15" in early.content.decode()
    done = client.post(url, {"op": "suspend", "on": "2024-07-15", "reason": "查找无果"})
    assert done.status_code == 302
    lost.refresh_from_db()
    assert lost.status == MemberStatus.SUSPENDED
    assert client.get(f"/standing/member/{world.member.pk}/").status_code == 404  # not lost
