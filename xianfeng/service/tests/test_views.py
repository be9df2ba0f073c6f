from datetime import date

import pytest
from django.urls import reverse

from xianfeng.service.models import Claim, CommunityCheckIn

from .factories import project, unit

pytestmark = pytest.mark.django_db


def test_member_claims_a_need_in_their_street(world, login):
    p = project(world, org=world.branch2)
    client = login(world.users["member"])
    assert p.title in client.get(reverse("service:projects")).content.decode()
    response = client.post(reverse("service:claim", args=[p.pk]), follow=True)
    assert "认领成功" in response.content.decode()
    assert Claim.objects.get().member == world.member


def test_outsider_cannot_see_or_claim(world, login):
    p = project(world)
    client = login(world.users["outsider"])
    assert p.title not in client.get(reverse("service:projects")).content.decode()
    assert client.get(reverse("service:project", args=[p.pk])).status_code == 404
    assert client.post(reverse("service:claim", args=[p.pk])).status_code == 404
    assert not Claim.objects.exists()


def test_staff_record_a_unit_claim_and_the_claimer_finishes(world, login):
    p = project(world)
    u = unit()
    staff = login(world.users["branch_secretary"])
    staff.post(reverse("service:claim_for", args=[p.pk]), {"unit": u.pk})
    claim = Claim.objects.get()
    assert claim.unit == u
    staff.post(reverse("service:claim_done", args=[claim.pk]), {"completed_on": "2026-01-05"})
    claim.refresh_from_db()
    assert claim.status == "done"


def test_a_member_cannot_touch_someone_elses_claim(world, login):
    p = project(world, slots=2)
    claim = Claim.objects.create(project=p, unit=unit())
    client = login(world.users["member"])
    assert client.post(reverse("service:claim_withdraw", args=[claim.pk])).status_code == 404


def test_register_a_member_check_in_by_search(world, login):
    client = login(world.users["branch_secretary"])
    response = client.post(
        reverse("service:check_ins"),
        {"community": world.branch.pk, "member_id_last4": "张三", "registered_on": "2026-03-01"},
    )
    assert response.status_code == 302
    assert CommunityCheckIn.objects.get().member == world.member


def test_unit_phones_are_masked_for_read_only_roles(world, login):
    unit(phone="13800001111")
    page = login(world.users["grid_worker"]).get(reverse("service:units")).content.decode()
    assert "138****1111" in page and "13800001111" not in page
    page = login(world.users["branch_secretary"]).get(reverse("service:units")).content.decode()
    assert "13800001111" in page


def test_alliance_page_and_events(world, login):
    from xianfeng.service.models import Alliance

    alliance = Alliance.objects.create(
        organization=world.street, name="北坦联合体", kind="regional", founded_on=date(2019, 1, 1)
    )
    u = unit()
    client = login(world.users["street_admin"])
    client.post(
        reverse("service:alliance", args=[alliance.pk]),
        {"unit": u.pk, "role": "chair", "joined_on": "2019-01-01"},
    )
    client.post(
        reverse("service:alliance", args=[alliance.pk]),
        {"title": "联合慰问", "held_on": "2026-02-01", "units": [u.pk]},
    )
    assert list(alliance.events.get().units.all()) == [u]
    assert (
        login(world.users["outsider"])
        .get(reverse("service:alliance", args=[alliance.pk]))
        .status_code
        == 404
    )


def test_a_member_registered_with_a_community_of_another_street_sees_and_claims_its_needs(
    world, login
):
    from xianfeng.service import services
    from xianfeng.testing import make_user

    p = project(world, org=world.branch)  # a need of 北关社区 (北坦街道)
    resident = make_user("zhaoliu", member=world.other_member)  # a member of 郭店街道
    client = login(resident)
    assert p.title not in client.get(reverse("service:projects")).content.decode()
    check_in = services.register_check_in(
        world.branch, actor=None, registered_on=date(2026, 1, 1), member=world.other_member
    )
    assert p.title in client.get(reverse("service:projects")).content.decode()
    response = client.post(reverse("service:claim", args=[p.pk]), follow=True)
    assert "认领成功" in response.content.decode()
    assert Claim.objects.get().member == world.other_member
    services.end_check_in(check_in, actor=None, ended_on=date(2026, 6, 1))
    assert client.get(reverse("service:project", args=[p.pk])).status_code == 404
