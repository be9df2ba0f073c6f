"""The public page stores a request with one INSERT; the worker routes it moments later.

Routing twice is harmless, a missed job is caught by the sweep in the escalation job, and a
request the resident follows before it is routed says so."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xianfeng.core import workcal
from xianfeng.core.audit import AuditLog
from xianfeng.grid.models import Grid

from .. import catalog, services
from ..escalation import escalate_due
from ..models import RequestEvent, ResidentRequest, Status
from ..testing import dispatcher


def _post(client, gw, category, key="k-1"):
    url = reverse("requests:public_grid", args=[gw.building1.code])
    data = {"category": category.pk, "description": "楼道灯不亮", "idempotency_key": key}
    return client.post(url, data)


def test_the_public_post_stores_with_one_insert(client, gw, category):
    # The page's GET loads the categories and the board's grid, held a minute per process,
    # as is the working calendar (loaded by the first deadline counted in the process).
    client.get(reverse("requests:public_grid", args=[gw.building1.code]))
    workcal.covers(2026)
    with CaptureQueriesContext(connection) as captured:
        response = _post(client, gw, category)
    assert response.status_code == 302
    # The test's own transaction wraps the INSERT in a savepoint; in production it is alone.
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    assert [s for s in statements if "SAVEPOINT" not in s and s != "RELEASE"] == ["INSERT"]
    req = ResidentRequest.objects.get()
    assert req.routed_at is None and req.holder_member is None
    assert req.status == Status.NEW and req.respond_due and req.organization == gw.building_group


def test_a_grid_relinked_since_intake_is_routed_by_its_new_link(client, gw, category):
    _post(client, gw, category)
    Grid.objects.filter(pk=gw.building1.pk).update(scope_org=gw.grid_branch)
    req = services.route_request(ResidentRequest.objects.get())
    assert req.organization == gw.grid_branch


def test_a_renamed_board_grid_shows_at_once_in_this_process(client, gw, category):
    url = reverse("requests:public_grid", args=[gw.building1.code])
    client.get(url)
    gw.building1.name = "1号楼（东）"
    gw.building1.save()
    assert "1号楼（东）" in client.get(url).content.decode()


def test_the_job_places_it_on_the_chain_after_commit(
    client, gw, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # HUEY_IMMEDIATE runs the job
        _post(client, gw, category)
    req = ResidentRequest.objects.get()
    assert req.routed_at is not None
    assert req.level_code == "central_household" and req.holder_member == gw.central.member
    submitted = RequestEvent.objects.get(request=req, action="submitted")
    assert submitted.at == req.created_at and submitted.actor_name == "居民"
    assert AuditLog.objects.filter(action="request.submitted", target_id=str(req.pk)).exists()


def test_routing_twice_routes_once(client, gw, category):
    _post(client, gw, category)
    req = ResidentRequest.objects.get()
    services.route_request(req)
    first = ResidentRequest.objects.get().routed_at
    services.route_request(req)
    assert ResidentRequest.objects.get().routed_at == first
    assert RequestEvent.objects.filter(request=req, action="submitted").count() == 1


def test_a_missed_job_is_caught_by_the_escalation_sweep(client, gw, category):
    for key in ("a", "b", "c"):
        _post(client, gw, category, key=key)
    assert ResidentRequest.objects.filter(routed_at__isnull=True).count() == 3
    escalate_due()
    assert not ResidentRequest.objects.filter(routed_at__isnull=True).exists()
    assert set(ResidentRequest.objects.values_list("level_code", flat=True)) == {
        "central_household"
    }


def test_a_request_placed_by_a_dispatcher_first_keeps_its_place(client, gw, category):
    _post(client, gw, category)
    ResidentRequest.objects.update(holder_org=gw.grid_branch, level_code="grid")
    req = services.route_request(ResidentRequest.objects.get())
    assert req.holder_org == gw.grid_branch and req.routed_at is not None


def test_the_resident_sees_it_is_being_routed(client, gw, category):
    response = _post(client, gw, category)
    page = client.get(response["Location"]).content.decode()
    assert "正在分派" in page


def test_staff_and_open311_intake_are_routed_at_once(gw, category):
    req, created = services.submit_request(
        category=category, description="电话反映", channel="phone", grid=gw.building1
    )
    assert created and req.routed_at is not None and req.holder_member == gw.central.member


def test_a_deactivated_category_is_refused_at_once(client, gw, category):
    catalog.active_categories()
    category.is_active = False
    category.save()  # clears this process's catalog; others reload within a minute
    response = _post(client, gw, category)
    assert response.status_code == 200 and not ResidentRequest.objects.exists()


def test_staff_see_an_unrouted_request_as_being_routed(client, world, gw, category, login):
    _post(client, gw, category)
    req = ResidentRequest.objects.get()
    staff = login(dispatcher(world))
    for url in (reverse("requests:list"), reverse("requests:detail", args=[req.pk])):
        assert "分派中" in staff.get(url).content.decode()
    services.route_request(req)
    assert "分派中" not in staff.get(reverse("requests:list")).content.decode()


def test_a_queue_outage_still_answers_and_the_sweep_routes_later(
    client, gw, category, monkeypatch, django_capture_on_commit_callbacks
):
    def queue_down(pk):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("xianfeng.resident_requests.public.route_received_request", queue_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, gw, category)
    assert response.status_code == 302
    assert ResidentRequest.objects.get().routed_at is None
    escalate_due()
    assert ResidentRequest.objects.get().level_code == "central_household"
