"""吹哨报到 units as a party (issue 16 §4): a signed link opens the unit's one task and stops
working once it is done, expired or replaced; the deadline follows the working calendar and
the periodic job escalates a late unit once, with notices; bad input answers 4xx."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.notices.models import Notice, NoticeKind

from .. import services, units
from ..escalation import escalate_due
from ..models import CallIn, CallInStatus, RequestEvent, Status
from ..testing import dispatcher, make_request

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def at(*args):
    return timezone.make_aware(datetime(*args))


def call(req, boss, *, task="清理占道", **kwargs):
    kwargs.setdefault("within", 2)
    return units.call_in_unit(req, actor=boss, unit_name="区城管局", task=task, **kwargs)


@pytest.fixture
def boss(world):
    return dispatcher(world)


def test_the_deadline_counts_working_days_across_the_spring_festival(gw, boss, category):
    # Friday 13 Feb 2026: 14 Feb (Saturday) is a working day, 15–23 Feb are off.
    with time_machine.travel(at(2026, 2, 13, 10, 0), tick=False):
        req = make_request(grid=gw.building1, category=category)
        assert call(req, boss, within=1).due == at(2026, 2, 14, 17, 30)
        assert call(req, boss, within=2).due == at(2026, 2, 24, 17, 30)
        # A given time on a holiday moves to the same time of the next working day.
        assert call(req, boss, within=None, due=at(2026, 2, 16, 10, 0)).due == at(2026, 2, 24, 10)
        hours = call(req, boss, within=8, unit="work_hours").due
    assert hours == at(2026, 2, 14, 9, 30)  # 7.5 working hours left on the 13th


def test_a_unit_sees_only_its_task_and_reports_with_an_attachment(client, gw, boss, category):
    first = make_request(grid=gw.building1, category=category, description="路灯不亮")
    other = make_request(grid=gw.building2, category=category, description="楼道堆物")
    mine = call(first, boss, task="修复路灯")
    call(other, boss, task="清理楼道堆物")
    link = units.link_path(mine)
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200 and "修复路灯" in html and "路灯不亮" in html
    assert "清理楼道堆物" not in html and "楼道堆物" not in html
    assert first.resident_phone == "" or first.resident_phone not in html
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    done = client.post(link, {"result": "已更换灯泡", "files": [photo]})
    assert done.status_code == 200 and "已提交" in done.content.decode()
    mine.refresh_from_db()
    assert mine.status == CallInStatus.DONE and mine.result == "已更换灯泡"
    assert mine.attachments.get().content_type == "image/png"
    first.refresh_from_db()
    assert first.status == Status.ACCEPTED
    event = RequestEvent.objects.get(request=first, action="call_in_done")
    assert event.actor is None and event.actor_name == "区城管局"
    assert Notice.objects.filter(title__contains="区城管局已报到").exists()
    gone = client.get(link)
    assert gone.status_code == 410 and "已报到完成" in gone.content.decode()
    assert client.post(link, {"result": "再报一次"}).status_code == 410


def test_a_link_stops_when_expired_replaced_or_forged(client, gw, boss, category):
    req = make_request(grid=gw.building1, category=category)
    unit = call(req, boss)
    old = units.link_path(unit)
    assert client.get(old).status_code == 200
    units.reissue_link(unit, actor=boss)
    unit.refresh_from_db()
    assert client.get(old).status_code == 404
    new = units.link_path(unit)
    assert client.get(new).status_code == 200
    CallIn.objects.filter(pk=unit.pk).update(link_expires_at=timezone.now() - timedelta(minutes=1))
    assert "已过期" in client.get(new).content.decode()
    assert client.get(new).status_code == 410
    assert client.get(reverse("requests:unit_task", args=["forged:token"])).status_code == 404
    assert client.get(new[:-4] + "abc/").status_code == 404  # signature broken


def test_closing_the_request_ends_the_link(client, gw, boss, category):
    req = make_request(grid=gw.building1, category=category)
    link = units.link_path(call(req, boss))
    services.close_unsolved(req, actor=boss, reason="居民撤回")
    assert client.get(link).status_code == 410


def test_bad_reports_answer_400_and_change_nothing(client, gw, boss, category):
    req = make_request(grid=gw.building1, category=category)
    unit = call(req, boss)
    link = units.link_path(unit)
    assert client.post(link, {"result": ""}).status_code == 400
    fake = SimpleUploadedFile("现场.png", b"MZ\x90\x00not an image", content_type="image/png")
    bad = client.post(link, {"result": "已处理", "files": [fake]})
    assert bad.status_code == 400 and "文件格式不支持" in bad.content.decode()
    many = [SimpleUploadedFile(f"{i}.png", PNG, content_type="image/png") for i in range(6)]
    assert (
        "最多上传 5 个附件" in client.post(link, {"result": "好", "files": many}).content.decode()
    )
    unit.refresh_from_db()
    assert unit.status == CallInStatus.OPEN and not unit.attachments.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"within": 0}, "1~60"),
        ({"within": None}, "请填写报到时限"),
        ({"within": None, "due": at(2020, 1, 2, 10, 0)}, "晚于现在"),
        ({"contact_phone": "call me"}, "联系电话"),
    ],
)
def test_bad_call_ins_are_refused(gw, boss, category, kwargs, message):
    req = make_request(grid=gw.building1, category=category)
    with pytest.raises(DomainError, match=message):
        call(req, boss, **kwargs)
    assert not CallIn.objects.exists()


def test_the_call_in_page_refuses_with_a_message(login, world, gw, boss, category):
    req = make_request(grid=gw.building1, category=category)
    url = reverse("requests:call_in", args=[req.pk])
    page = login(boss).post(url, {"unit_name": "区住建局", "task": "维修", "unit": "workdays"})
    assert page.status_code == 302
    follow = login(boss).get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "请填写报到时限" in follow and not CallIn.objects.exists()
    data = {"unit_name": "区住建局", "task": "维修", "within": 2, "unit": "workdays"}
    login(boss).post(url, data)
    detail = login(boss).get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert units.link_path(CallIn.objects.get()) in detail  # the dispatcher hands it on
    branch = login(world.users["branch_secretary"]).get(reverse("requests:detail", args=[req.pk]))
    assert units.link_path(CallIn.objects.get()) not in branch.content.decode()


def test_a_late_unit_is_escalated_once_with_notices(gw, boss, category, settings):
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):  # a Monday
        req = make_request(grid=gw.building1, category=category)
        unit = call(req, boss, within=1, contact_phone="13900001111")
    assert unit.due == at(2026, 3, 3, 17, 30)
    with time_machine.travel(at(2026, 3, 3, 17, 0), tick=False):
        escalate_due()
    assert not RequestEvent.objects.filter(action="call_in_overdue").exists()
    with time_machine.travel(at(2026, 3, 3, 17, 31), tick=False):
        escalate_due()
        escalate_due()
    unit.refresh_from_db()
    assert unit.overdue_at == at(2026, 3, 3, 17, 31)
    event = RequestEvent.objects.get(request=req, action="call_in_overdue")
    assert "区城管局超过报到时限" in event.note
    notices = Notice.objects.filter(kind=NoticeKind.REQUEST_ESCALATED, title__contains="区城管局")
    notice = notices.get(recipient=boss)  # once, though the job ran twice
    assert notice.link == f"/requests/{req.pk}/"
