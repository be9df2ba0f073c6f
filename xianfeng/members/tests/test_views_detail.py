from datetime import date

import pytest

from xianfeng.core.models import AuditLog
from xianfeng.members import services
from xianfeng.members.models import MemberTag
from xianfeng.orgs.models import Committee, CommitteeSeat, SeatPost


def url(member, action=""):
    return f"/members/{member.pk}/{action}"


def test_detail_shows_record_history_and_masks(world, login):
    member = world.member
    member.tags.add(MemberTag.objects.get(code="mobile"))
    services.change_status(member, "lost_contact", on=date(2023, 1, 1), reason="外出", actor=None)
    committee = Committee.objects.create(
        organization=world.branch, elected_on=date(2022, 1, 1), ends_on=date(2027, 1, 1)
    )
    CommitteeSeat.objects.create(
        committee=committee, member=member, post=SeatPost.SECRETARY, started_on=date(2022, 1, 1)
    )
    response = login(world.users["street_admin"]).get(url(member))
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("张三", "流动党员", "外出", "书记", "北坦街道党工委", "天桥区委", "党龄"):
        assert text in body
    assert f"{member.party_age()} 年" in body
    assert "139****5678" in body and "13912345678" not in body
    assert "显示完整信息" in body


@pytest.mark.parametrize("role", ["outsider", "member", "street_admin"])
def test_detail_404_outside_scope(world, login, role):
    target = world.member if role == "outsider" else world.other_member
    assert login(world.users[role]).get(url(target)).status_code == 404
    assert login(world.users[role]).get("/members/999999/").status_code == 404


def test_member_sees_own_record(world, login):
    response = login(world.users["member"]).get(url(world.member))
    assert response.status_code == 200 and "显示完整信息" in response.content.decode()


def test_reveal_is_audited(world, login):
    admin = world.users["street_admin"]
    response = login(admin).post(
        url(world.member, "reveal/"), {"reason": "核对档案"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "13912345678" in body and world.member.id_number in body
    assert "<html" not in body
    assert "1980-" in body  # the full birth date comes with the reveal
    log = AuditLog.objects.get(action="member.reveal")
    assert (log.actor, log.target_id) == (admin, str(world.member.pk))
    assert log.data["reason"] == "核对档案"


def test_reveal_without_htmx_renders_page(world, login):
    response = login(world.users["member"]).post(url(world.member, "reveal/"), {"reason": "本人"})
    assert "13912345678" in response.content.decode()
    assert AuditLog.objects.filter(action="member.reveal").count() == 1


@pytest.mark.parametrize(
    "role,status", [("grid_worker", 403), ("observer", 403), ("outsider", 404)]
)
def test_reveal_refused(world, login, role, status):
    client = login(world.users[role])
    assert "显示完整信息" not in client.get(url(world.member)).content.decode()
    response = client.post(url(world.member, "reveal/"))
    assert response.status_code == status
    assert "13912345678" not in response.content.decode()
    assert not AuditLog.objects.filter(action="member.reveal").exists()


def test_reveal_requires_post(world, login):
    assert login(world.users["street_admin"]).get(url(world.member, "reveal/")).status_code == 405


def test_audit_page_lists_reveals_in_scope(world, login):
    login(world.users["street_admin"]).post(url(world.member, "reveal/"), {"reason": "核对"})
    login(world.users["outsider"]).post(url(world.other_member, "reveal/"), {"reason": "核对"})
    response = login(world.users["committee_secretary"]).get("/members/audit/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "张三" in body and "street_admin" in body
    assert "赵六" not in body


@pytest.mark.parametrize("role", ["branch_secretary", "grid_worker", "observer", "member"])
def test_audit_page_needs_audit_perm(world, login, role):
    assert login(world.users[role]).get("/members/audit/").status_code == 403


def test_audit_page_paginates(world, login, monkeypatch, django_assert_max_num_queries):
    from xianfeng.members import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = login(world.users["street_admin"])
    for _ in range(5):
        client.post(url(world.member, "reveal/"), {"reason": "核对"})
    with django_assert_max_num_queries(6):
        body = client.get("/members/audit/").content.decode()
    assert body.count('<td data-label="时间">') == 2 and 'rel="next"' in body


def test_own_record_breadcrumb_has_no_links_the_member_cannot_open(world, login):
    body = login(world.users["member"]).get(f"/members/{world.member.pk}/").content.decode()
    assert world.branch.name in body
    assert f'href="/orgs/{world.branch.pk}/"' not in body


def test_secretary_breadcrumb_links_orgs_in_scope(world, login):
    body = login(world.users["street_admin"]).get(f"/members/{world.member.pk}/").content.decode()
    assert f'href="/orgs/{world.branch.pk}/"' in body
    assert f'href="/orgs/{world.district.pk}/"' not in body
