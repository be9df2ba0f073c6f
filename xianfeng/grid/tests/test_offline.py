"""Visits replayed from the phone's offline queue: stored once per token, the same answer on
every replay, tokens scoped to their user, conflicts answered 409 and never overwritten."""

import base64
import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xianfeng.grid import services_people as people
from xianfeng.grid.models import Household, Visit, VisitPhoto
from xianfeng.grid.offline import household_version
from xianfeng.grid.testing import make_staff
from xianfeng.testing import in_threads, make_user, needs_pg

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def household(gw):
    return Household.objects.create(grid=gw.building1, address="1号楼2单元301", head_name="荆永义")


def _data(household, **changes):
    data = {
        "visited_on": "2024-06-01",
        "visitor_name": "姜君",
        "found": "房屋漏水",
        "seen": household_version(household),
        "photos": SimpleUploadedFile("p.png", PNG, content_type="image/png"),
    }
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def _replay(client, household, key, **changes):
    url = f"/grid/household/{household.pk}/visit/"
    return client.post(url, _data(household, **changes), headers={"Idempotency-Key": key})


def test_a_replay_stores_once_and_answers_the_same(
    gw, household, login, django_assert_max_num_queries
):
    client = login(gw.worker)
    key = str(uuid.uuid4())
    first = _replay(client, household, key)
    with django_assert_max_num_queries(12):
        again = _replay(client, household, key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["url"] == f"/grid/household/{household.pk}/"
    assert "Idempotent-Replayed" not in first and again["Idempotent-Replayed"] == "true"
    visit = Visit.objects.get()
    assert (
        visit.pk == first.json()["id"]
        and visit.idempotency_key == f"{gw.worker.pk}:{uuid.UUID(key).hex}"
    )
    assert VisitPhoto.objects.filter(visit=visit).count() == 1
    assert VisitPhoto.objects.get().content_type == "image/png"


def test_the_form_token_and_the_header_are_the_same_token(gw, household, login):
    """A form posted with signal, then replayed from the queue (the post's answer was lost)."""
    client = login(gw.worker)
    key = uuid.uuid4().hex
    client.post(f"/grid/household/{household.pk}/visit/", _data(household, key=key))
    again = _replay(client, household, key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Visit.objects.count() == 1


@pytest.mark.parametrize("key", ["abc", "", "1234", "'; drop table", "g" * 32])
def test_a_bad_key_is_400(gw, household, login, key):
    response = _replay(login(gw.worker), household, key)
    assert response.status_code == 400 and "提交令牌无效" in response.json()["message"]
    assert not Visit.objects.exists()


def test_a_token_never_finds_another_users_visit(world, gw, household, login, client):
    key = str(uuid.uuid4())
    mine = _replay(login(gw.worker), household, key).json()
    # Another grid worker of the same grid with the same token gets a visit of their own …
    other = make_user("grid_worker_rx2", role="grid_worker", org=gw.general_branch)
    make_staff(gw.grid1, gw.role, "李敏", user=other)
    client.force_login(other)
    theirs = _replay(client, household, key)
    assert theirs.status_code == 201 and theirs.json()["id"] != mine["id"]
    assert "Idempotent-Replayed" not in theirs
    # … and someone outside the grid learns nothing from it.
    client.force_login(world.users["outsider"])
    outside = _replay(client, household, key)
    assert outside.status_code in (403, 409)
    assert "id" not in outside.json() and "url" not in outside.json()
    assert Visit.objects.count() == 2


def test_a_household_changed_since_the_sync_is_a_conflict(gw, household, login):
    client = login(gw.worker)
    seen = household_version(household)
    household.note = "已搬走"
    household.save()
    key = str(uuid.uuid4())
    response = _replay(client, household, key, seen=seen)
    assert response.status_code == 409 and response.json()["conflict"] is True
    assert "离线后已被修改" in response.json()["message"]
    assert not Visit.objects.exists()
    # The worker looked at it and sends it anyway (no version): stored, once.
    assert _replay(client, household, key, seen="").status_code == 201
    assert _replay(client, household, key, seen=seen).status_code == 201
    assert Visit.objects.count() == 1


def test_a_removed_household_is_a_conflict(gw, household, login):
    client = login(gw.worker)
    pk = household.pk
    household.delete()
    household.pk = pk
    response = _replay(client, household, str(uuid.uuid4()))
    assert (
        response.status_code == 409 and "已删除或已不在您负责的网格" in response.json()["message"]
    )


def test_a_token_used_for_another_household_is_a_conflict(gw, household, login):
    client = login(gw.worker)
    key = str(uuid.uuid4())
    _replay(client, household, key)
    other = Household.objects.create(grid=gw.building1, address="1号楼2单元302", head_name="王")
    response = _replay(client, other, key)
    assert response.status_code == 409 and "另一户" in response.json()["message"]
    assert Visit.objects.count() == 1


def test_an_invalid_visit_is_422_in_chinese(gw, household, login):
    response = _replay(login(gw.worker), household, str(uuid.uuid4()), visited_on="明天")
    assert response.status_code == 422 and "日期" in response.json()["message"]
    fake = SimpleUploadedFile("x.png", b"<script>" * 10, content_type="image/png")
    response = _replay(login(gw.worker), household, str(uuid.uuid4()), photos=fake)
    assert response.status_code == 409 and "不是有效的图片" in response.json()["message"]
    assert not Visit.objects.exists()


def test_the_household_page_offers_the_offline_form_and_shows_photos(gw, household, login):
    client = login(gw.worker)
    _replay(client, household, str(uuid.uuid4()))
    html = client.get(f"/grid/household/{household.pk}/").content.decode()
    assert 'data-offline="visit"' in html and 'enctype="multipart/form-data"' in html
    assert f'name="seen" value="{household_version(household)}"' in html
    assert "/files/" in html  # the photo, by signed link


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_replays_at_once_store_one_visit(world, gw):
    household = Household.objects.create(grid=gw.building1, address="3号楼", head_name="王")
    key = f"{gw.worker.pk}:{uuid.uuid4().hex}"
    outcomes = in_threads(
        *[
            lambda: (
                people.record_visit(
                    household,
                    visited_on=date(2024, 6, 1),
                    visitor_name="姜君",
                    key=key,
                    actor=gw.worker,
                ).pk
            )
            for _ in range(4)
        ],
        report="message",
    )
    assert len(set(outcomes)) == 1 and Visit.objects.count() == 1
