"""Staff pages and the resident's tracking page, through the client; scoping across streets."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from xianfeng.notices.models import Notice

from .. import services
from ..models import ResidentRequest, Status
from ..testing import central_login, dispatcher, make_request


def test_list_shows_overdue_and_nearly_due(login, world, gw, category):
    late = make_request(grid=gw.building1, category=category)
    ResidentRequest.objects.filter(pk=late.pk).update(next_due=timezone.now() - timedelta(hours=1))
    soon = make_request(grid=gw.building2, category=category)
    ResidentRequest.objects.filter(pk=soon.pk).update(next_due=timezone.now() + timedelta(hours=1))
    page = login(world.users["street_admin"]).get(reverse("requests:list")).content.decode()
    assert "已超时 1" in page and "即将到期 1" in page
    overdue = login(world.users["street_admin"]).get(reverse("requests:list") + "?due=overdue")
    assert late.tracking_code in overdue.content.decode()
    assert soon.tracking_code not in overdue.content.decode()


def test_outsider_sees_nothing_of_another_street(login, world, gw, category):
    req = make_request(grid=gw.building1, category=category)
    client = login(world.users["outsider"])
    assert req.tracking_code not in client.get(reverse("requests:list")).content.decode()
    assert client.get(reverse("requests:detail", args=[req.pk])).status_code == 404
    assert client.post(reverse("requests:accept", args=[req.pk])).status_code == 404
    req.refresh_from_db()
    assert req.status == Status.NEW


def test_the_central_household_sees_and_accepts_what_they_hold(login, gw, category):
    req = make_request(grid=gw.building1, category=category)
    other = make_request(grid=gw.grid2, category=category)
    client = login(central_login(gw))
    page = client.get(reverse("requests:list")).content.decode()
    assert req.tracking_code in page and other.tracking_code not in page
    client.post(reverse("requests:accept", args=[req.pk]))
    req.refresh_from_db()
    assert req.status == Status.ACCEPTED and req.owner_member == gw.central.member


def test_staff_intake_on_behalf_of_a_resident(login, world, gw, category):
    client = login(world.users["street_admin"])
    response = client.post(
        reverse("requests:create"),
        {
            "category": category.pk,
            "description": "电话反映：楼道堆物",
            "channel": "phone",
            "grid_code": gw.building1.code,
            "resident_phone": "13900002222",
            "idempotency_key": "s1",
        },
    )
    req = ResidentRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/requests/{req.pk}/")
    assert req.channel == "phone" and req.created_by == world.users["street_admin"]


def test_staff_intake_refuses_a_grid_outside_the_users_scope(login, world, gw, category):
    client = login(world.users["outsider"])
    response = client.post(
        reverse("requests:create"),
        {
            "category": category.pk,
            "description": "x",
            "channel": "phone",
            "grid_code": gw.building1.code,
            "idempotency_key": "s2",
        },
    )
    assert response.status_code == 200 and "不在您的范围内" in response.content.decode()
    assert not ResidentRequest.objects.exists()


def test_actions_through_the_page(login, world, gw, category):
    req = make_request(grid=gw.building1, category=category)
    client = login(world.users["street_admin"])
    client.post(reverse("requests:accept", args=[req.pk]))
    client.post(reverse("requests:solve", args=[req.pk]), {"note": "已协调办理"})
    req.refresh_from_db()
    assert req.status == Status.SOLVED and req.owner == world.users["street_admin"]
    page = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "已协调办理" in page and "首问负责人" in page


def test_call_in_needs_dispatch(login, world, gw, category):
    req = make_request(grid=gw.building1, category=category)
    due = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"unit_name": "区住建局", "task": "维修", "due": due}
    assert (
        login(world.users["branch_secretary"])
        .post(reverse("requests:call_in", args=[req.pk]), data)
        .status_code
        == 403
    )
    login(dispatcher(world)).post(reverse("requests:call_in", args=[req.pk]), data)
    req.refresh_from_db()
    assert req.status == Status.CALLED_IN and req.call_ins.get().unit_name == "区住建局"


def test_handlers_get_in_app_notifications(login, gw, category, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(grid=gw.building1, category=category)
    # 赵美菊 has no login here: the grid worker over her building group hears instead.
    assert Notice.objects.filter(recipient=gw.worker, title__contains=req.tracking_code).exists()
    page = login(gw.worker).get(reverse("notices:inbox")).content.decode()
    assert req.tracking_code in page


def test_resident_follows_rates_and_reopens(client, gw, category):
    zhao = central_login(gw)
    req = make_request(grid=gw.building1, category=category)
    track = reverse("requests:track", args=[req.tracking_code, req.secret])
    assert client.get(track).status_code == 200
    wrong = reverse("requests:track", args=[req.tracking_code, "guess"])
    assert client.get(wrong).status_code == 404
    services.accept_request(req, actor=zhao)
    page = client.get(track).content.decode()
    assert "赵美菊" in page, "the owner is visible to the resident"
    services.solve_request(req, actor=zhao, note="已办好")
    client.post(reverse("requests:rate", args=[req.tracking_code, req.secret]), {"rating": 5})
    req.refresh_from_db()
    assert req.rating == 5
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        client.post(
            reverse("requests:reopen", args=[req.tracking_code, req.secret]), {"reason": "又坏了"}
        )
    req.refresh_from_db()
    assert req.status == Status.REOPENED
