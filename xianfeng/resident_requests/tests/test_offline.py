"""Intake on a resident's behalf replayed from the phone's offline queue (core.replay)."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ..models import Category, RequestPhoto, ResidentRequest
from .test_intake import PNG


def _replay(client, gw, category, key, **changes):
    data = {
        "category": category.pk,
        "description": "楼道堆物，影响通行",
        "channel": "visit",
        "grid_code": gw.building1.code,
        "idempotency_key": uuid.uuid4().hex,  # the form's own; the header wins
        "photos": SimpleUploadedFile("p.png", PNG, content_type="image/png"),
        **changes,
    }
    return client.post(reverse("requests:create"), data, headers={"Idempotency-Key": key})


def test_a_replay_stores_once_and_answers_the_same(gw, category, login):
    client = login(gw.worker)
    key = str(uuid.uuid4())
    first = _replay(client, gw, category, key)
    again = _replay(client, gw, category, key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    req = ResidentRequest.objects.get()
    assert first.json()["id"] == req.pk and req.tracking_code in first.json()["message"]
    assert req.idempotency_key == f"staff:{gw.worker.pk}:{uuid.UUID(key).hex}"
    assert req.channel == "visit" and req.grid == gw.building1 and req.created_by == gw.worker
    assert RequestPhoto.objects.filter(request=req).count() == 1


def test_a_stored_request_answers_the_same_even_after_the_catalog_changed(gw, category, login):
    client = login(gw.worker)
    key = str(uuid.uuid4())
    first = _replay(client, gw, category, key)
    Category.objects.filter(pk=category.pk).update(is_active=False)
    assert _replay(client, gw, category, key).json() == first.json()


@pytest.mark.parametrize("key", ["abc", "", "not-a-uuid-at-all"])
def test_a_bad_key_is_400(gw, category, login, key):
    response = _replay(login(gw.worker), gw, category, key)
    assert response.status_code == 400 and "提交令牌无效" in response.json()["message"]
    assert not ResidentRequest.objects.exists()


def test_a_token_never_finds_another_users_request(world, gw, category, login, client):
    key = str(uuid.uuid4())
    mine = _replay(login(gw.worker), gw, category, key).json()
    client.force_login(world.users["street_admin"])
    theirs = _replay(client, gw, category, key)
    assert theirs.status_code == 201 and theirs.json()["id"] != mine["id"]
    assert "Idempotent-Replayed" not in theirs
    client.force_login(world.users["outsider"])
    outside = _replay(client, gw, category, key)
    assert outside.status_code == 409 and "不在您的范围内" in outside.json()["message"]
    assert "id" not in outside.json()
    assert ResidentRequest.objects.count() == 2


def test_an_invalid_request_is_422_in_chinese(gw, category, login):
    response = _replay(login(gw.worker), gw, category, str(uuid.uuid4()), description="")
    assert response.status_code == 422 and response.json()["message"]
    assert "description" in response.json()["errors"]
    assert not ResidentRequest.objects.exists()


def test_the_intake_page_offers_the_offline_form(gw, login):
    html = login(gw.worker).get(reverse("requests:create")).content.decode()
    assert 'data-offline="request"' in html and 'data-offline-key="idempotency_key"' in html
