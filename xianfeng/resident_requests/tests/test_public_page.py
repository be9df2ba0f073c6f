"""The resident's page: who serves the grid, the promise, the notice, 查询我的诉求, stars, and
no internal notes."""

from datetime import timedelta

from django.urls import reverse

from xianfeng.grid.services_people import set_phone_published
from xianfeng.grid.testing import make_staff

from ..models import RequestEvent, ResidentRequest
from ..testing import make_request


def test_page_shows_servers_with_consented_phones_only(gw, client, category):
    gw.worker_staff.phone = "13700001111"
    gw.worker_staff.save()
    quiet = make_staff(gw.grid1, gw.role, "李静", phone="13800002222")
    html = client.get(f"/r/{gw.building1.code}/").content.decode()
    assert "姜君" in html and "李静" in html and "赵美菊" in html
    assert "13700001111" not in html and "13800002222" not in html

    set_phone_published(gw.worker_staff, True, actor=None)
    html = client.get(f"/r/{gw.building1.code}/").content.decode()
    assert 'href="tel:13700001111"' in html
    assert "13800002222" not in html and quiet.phone[-4:] not in html


def test_consent_is_audited_and_idempotent(gw):
    from xianfeng.core.models import AuditLog

    set_phone_published(gw.worker_staff, True, actor=None)
    set_phone_published(gw.worker_staff, True, actor=None)
    assert AuditLog.objects.filter(action="grid.staff_phone_published").count() == 1


def test_page_promises_for_every_category_and_explains_personal_data(gw, client, category):
    html = client.get(f"/r/{gw.building1.code}/").content.decode()
    assert 'data-testid="promise"' in html and "内响应" in html and "内办结" in html
    assert "个人信息说明" in html
    assert 'action="/r/find/"' in html


def test_find_my_request_by_code_and_last_four(gw, client, category):
    req = make_request(grid=gw.building1, category=category, resident_phone="13912340987")
    response = client.post(
        reverse("requests:find"), {"code": req.tracking_code.lower(), "phone_last4": "0987"}
    )
    assert response.status_code == 302
    assert response.url == reverse("requests:track", args=[req.tracking_code, req.secret])


def test_find_answers_the_same_for_wrong_code_and_wrong_phone(gw, client, category):
    req = make_request(grid=gw.building1, category=category, resident_phone="13912340987")
    wrong_phone = client.post(
        reverse("requests:find"), {"code": req.tracking_code, "phone_last4": "1111"}
    )
    wrong_code = client.post(
        reverse("requests:find"), {"code": "ZZZZZZZZZZ", "phone_last4": "0987"}
    )
    for response in (wrong_phone, wrong_code):
        assert response.status_code == 200
        assert "查询码或手机号后四位不对" in response.content.decode()
    bad = client.post(reverse("requests:find"), {"code": "", "phone_last4": "12ab"})
    assert "请输入手机号的后四位数字" in bad.content.decode()


def test_no_phone_left_cannot_be_found_by_code(gw, client, category):
    req = make_request(grid=gw.building1, category=category, resident_phone="")
    response = client.post(
        reverse("requests:find"), {"code": req.tracking_code, "phone_last4": "0000"}
    )
    assert response.status_code == 200


def test_residents_never_see_internal_notes(gw, client, category, world):
    req = make_request(grid=gw.building1, category=category)
    req = ResidentRequest.objects.get(pk=req.pk)
    RequestEvent.objects.create(
        request=req, action="overdue_at_top", status=req.status, note="督办：街道催办第二次"
    )
    RequestEvent.objects.create(
        request=req, action="rejected", status=req.status, note="非本级事项，应由城管处理"
    )
    RequestEvent.objects.create(
        request=req, action="accepted", status=req.status, note="已安排维修师傅明天上门"
    )
    html = client.get(reverse("requests:track", args=[req.tracking_code, req.secret])).content
    html = html.decode()
    assert "督办" not in html and "应由城管处理" not in html
    assert "已安排维修师傅明天上门" in html


def test_rating_shows_stars_with_words(gw, client, category, world):
    req = make_request(grid=gw.building1, category=category)
    ResidentRequest.objects.filter(pk=req.pk).update(rating=4, rating_comment="挺快")
    html = client.get(reverse("requests:track", args=[req.tracking_code, req.secret])).content
    assert "★★★★☆" in html.decode() and "满意" in html.decode()


def test_rate_form_offers_stars_with_words(gw, client, category, world):
    req = make_request(grid=gw.building1, category=category)
    req = ResidentRequest.objects.get(pk=req.pk)
    ResidentRequest.objects.filter(pk=req.pk).update(
        status="solved", solved_at=req.created_at + timedelta(hours=1), closed_at=req.created_at
    )
    html = client.get(reverse("requests:track", args=[req.tracking_code, req.secret])).content
    text = html.decode()
    start = text.find("评价办理结果")
    assert "★★★★★ 很满意" in text and "★☆☆☆☆ 很不满意" in text, text[start : start + 1500]


def test_figures_page_reads_like_people_speak(gw, category, world, login):
    req = ResidentRequest.objects.get(pk=make_request(grid=gw.building1, category=category).pk)
    # save(), not update(): the figures read the rollup rows that save() keeps.
    req.responded_at = req.created_at + timedelta(days=2, hours=3, minutes=5)
    req.solved_at = req.created_at + timedelta(days=6, hours=10, minutes=56, seconds=42)
    req.status = "solved"
    req.save()
    html = login(world.users["street_admin"]).get(reverse("requests:figures")).content.decode()
    assert "2天3小时" in html and "6天10小时" in html
    assert "days" not in html and "—%" not in html
    assert 'id="figures-chart-data"' in html and "响应率" in html
