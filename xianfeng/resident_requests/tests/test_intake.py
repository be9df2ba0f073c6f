"""Intake: idempotent under retries, bad input refused with a Chinese message, nothing half-saved."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xianfeng.core.errors import DomainError
from xianfeng.testing import in_threads, needs_pg

from .. import services
from ..models import Category, RequestPhoto, ResidentRequest, Status
from ..testing import central_login, dispatcher, make_request
from ..uploads import MAX_PHOTO_BYTES

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def png(name="p.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_same_key_returns_the_same_request(gw, category):
    first = make_request(grid=gw.building1, category=category, idempotency_key="k1")
    again = make_request(grid=gw.building1, category=category, idempotency_key="k1")
    assert again.pk == first.pk
    assert ResidentRequest.objects.count() == 1


def test_double_tap_on_the_public_page_makes_one_request(client, gw, category):
    url = reverse("requests:public_grid", args=[gw.building1.code])
    data = {"category": category.pk, "description": "路灯坏了", "idempotency_key": "tap-1"}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ResidentRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"description": "   "}, "请填写诉求内容"),
        ({"description": "x" * 2001}, "不能超过"),
        ({"resident_phone": "12345"}, "联系电话"),
        ({"grid": None, "organization": None}, "请选择所在社区"),
        ({"grid": None, "address": ""}, "请填写地址或提供定位"),
    ],
)
def test_bad_input_is_refused(gw, category, changes, message):
    fields = {"grid": gw.building1, "organization": gw.grid_branch, **changes}
    if "grid" in changes and changes.get("organization", 1) is not None:
        fields["organization"] = gw.grid_branch
    with pytest.raises(DomainError, match=message):
        make_request(category=category, **fields)
    assert not ResidentRequest.objects.exists()


def test_inactive_or_unknown_category(gw, category):
    Category.objects.filter(pk=category.pk).update(is_active=False)
    category.refresh_from_db()
    with pytest.raises(DomainError, match="类别无效"):
        make_request(grid=gw.building1, category=category)
    with pytest.raises(DomainError, match="类别无效"):
        services.submit_request(category=None, description="x", channel="public", grid=gw.building1)


def test_unknown_category_on_the_public_page(client, gw, category):
    url = reverse("requests:public_grid", args=[gw.building1.code])
    response = client.post(url, {"category": 999, "description": "x", "idempotency_key": "k"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not ResidentRequest.objects.exists()


def test_fake_image_is_refused(gw, category):
    fake = SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>" * 10, content_type="image/jpeg")
    with pytest.raises(DomainError, match="不是有效的图片"):
        make_request(grid=gw.building1, category=category, photos=[fake])
    assert not ResidentRequest.objects.exists()


def test_truncated_image_fails_pillow_verification(gw, category):
    broken = SimpleUploadedFile("x.png", PNG[:30], content_type="image/png")
    pytest.importorskip("PIL")
    with pytest.raises(DomainError, match="不是有效的图片"):
        make_request(grid=gw.building1, category=category, photos=[broken])


def test_oversized_image_is_refused(gw, category):
    big = SimpleUploadedFile("big.png", PNG + b"\0" * MAX_PHOTO_BYTES, content_type="image/png")
    with pytest.raises(DomainError, match="超过 5 MB"):
        make_request(grid=gw.building1, category=category, photos=[big])


def test_a_real_image_is_kept(gw, category, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    req = make_request(grid=gw.building1, category=category, photos=[png()])
    photo = RequestPhoto.objects.get(request=req)
    assert photo.content_type == "image/png" and photo.image.name.endswith(".png")


def test_script_in_text_is_shown_escaped(client, gw, category):
    req = make_request(
        grid=gw.building1, category=category, description="<script>alert(1)</script>"
    )
    page = client.get(reverse("requests:track", args=[req.tracking_code, req.secret])).content
    assert b"<script>alert(1)</script>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_public_intake_is_rate_limited(client, gw, category, settings):
    settings.XIANFENG_REQUEST_INTAKE_LIMIT = (2, 600)
    url = reverse("requests:public_grid", args=[gw.building1.code])
    for n in range(3):
        response = client.post(
            url, {"category": category.pk, "description": "x", "idempotency_key": f"k{n}"}
        )
    assert response.status_code == 200
    assert "提交过于频繁" in response.content.decode()
    assert ResidentRequest.objects.count() == 2


def test_checklist_is_shown_at_intake(client, gw, category):
    page = client.get(reverse("requests:public_grid", args=[gw.building1.code])).content.decode()
    assert "近 14 天行程说明" in page and gw.building1.name in page


def test_unknown_grid_code_is_404(client, db):
    assert client.get(reverse("requests:public_grid", args=["NOPE"])).status_code == 404


def test_address_intake_without_a_board(client, gw, category):
    response = client.post(
        reverse("requests:public_intake"),
        {
            "category": category.pk,
            "description": "楼道灯不亮",
            "address": "瑞祥小区3号楼",
            "community": gw.community.code,
            "idempotency_key": "addr-1",
        },
    )
    assert response.status_code == 302
    req = ResidentRequest.objects.get()
    assert req.grid == gw.community and req.organization == gw.general_branch


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_two_people_accepting_at_once_make_one_owner(world, gw, category):
    zhao, boss = central_login(gw), dispatcher(world)
    req = make_request(grid=gw.building1, category=category)
    outcomes = in_threads(
        lambda: services.accept_request(req, actor=zhao) and "ok",
        lambda: services.accept_request(req, actor=boss) and "ok",
        report="message",
    )
    assert sorted(outcomes) == ["ok", "该诉求已被受理"]
    req.refresh_from_db()
    assert req.status == Status.ACCEPTED and req.owner in (zhao, boss)


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_retries_at_once_make_one_request(world, gw, category):
    outcomes = in_threads(
        *[
            lambda: make_request(grid=gw.building1, category=category, idempotency_key="same").pk
            for _ in range(4)
        ],
        report="message",
    )
    assert len(set(outcomes)) == 1
    assert ResidentRequest.objects.count() == 1
