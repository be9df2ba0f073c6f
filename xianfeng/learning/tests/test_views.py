from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xianfeng.learning.models import Course, Question, QuizAttempt, StudyRecord
from xianfeng.testing import assert_printable

from .factories import course, questions, quiz

pytestmark = pytest.mark.django_db
MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("题库.xlsx", buffer.getvalue())


HEAD = [
    "题目分类",
    "题型",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "选项E",
    "选项F",
    "答案",
    "解析",
]


def test_member_home_lists_courses_and_outsider_cannot_open_them(world, login):
    c = course(world, org=world.branch)
    page = login(world.users["member"]).get(reverse("learning:home")).content.decode()
    assert c.title in page
    outsider = login(world.users["outsider"])
    assert outsider.get(reverse("learning:course", args=[c.pk])).status_code == 404
    assert outsider.post(reverse("learning:beat", args=[c.pk])).status_code == 404
    assert not StudyRecord.objects.exists()


def test_beat_from_the_member_page(world, login):
    c = course(world)
    response = login(world.users["member"]).post(reverse("learning:beat", args=[c.pk]))
    assert response.json() == {"seconds": 0, "completed": False}


def test_publish_a_video_checks_its_content(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.users["branch_secretary"])
    data = {"organization": world.branch.pk, "title": "微党课", "kind": "video", "minutes": 5}
    fake = SimpleUploadedFile("课.mp4", b"<html>not a video</html>")
    response = client.post(reverse("learning:manage"), {**data, "file": fake})
    assert "文件格式不支持" in response.content.decode()
    assert not Course.objects.exists()
    real = SimpleUploadedFile("课.mp4", MP4)
    assert client.post(reverse("learning:manage"), {**data, "file": real}).status_code == 302
    c = Course.objects.get()
    whole = client.get(reverse("learning:media", args=[c.pk]))
    assert b"".join(whole.streaming_content) == MP4
    part = client.get(reverse("learning:media", args=[c.pk]), HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 4-11/{len(MP4)}"
    assert b"".join(part.streaming_content) == b"ftypmp42"
    tail = client.get(reverse("learning:media", args=[c.pk]), HTTP_RANGE="bytes=-4")
    assert b"".join(tail.streaming_content) == MP4[-4:]
    bad = client.get(reverse("learning:media", args=[c.pk]), HTTP_RANGE=f"bytes={len(MP4)}-")
    assert bad.status_code == 416


def test_bank_template_keeps_examples_on_the_guide_sheet(world, login):
    response = login(world.users["branch_secretary"]).get(reverse("learning:bank_template"))
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["题库", "填写说明"]
    data, guide = book["题库"], book["填写说明"]
    assert [c.value for c in data[1]] == HEAD and data.max_row == 1
    assert guide["C2"].value == "党的最高理想和最终目标是"
    assert_printable(data)
    data.append(["党章", "判断", "题一", "", "", "", "", "", "", "对", ""])
    book.move_sheet(guide, offset=-1)  # the guide moved in front: still not imported
    assert book.sheetnames == ["填写说明", "题库"]
    buffer = BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("题库.xlsx", buffer.getvalue())
    client = login(world.users["branch_secretary"])
    client.post(reverse("learning:bank"), {"organization": world.branch.pk, "file": upload})
    assert list(Question.objects.values_list("text", flat=True)) == ["题一"]


def test_bank_import_is_all_or_nothing_with_row_and_column(world, login):
    client = login(world.users["branch_secretary"])
    rows = [
        HEAD,
        ["党章", "单选", "题一", "甲", "乙", "", "", "", "", "A", ""],
        ["党章", "多选", "题二", "甲", "乙", "丙", "", "", "", "AD", ""],
        ["党章", "问答", "题三", "", "", "", "", "", "", "", ""],
    ]
    response = client.post(
        reverse("learning:bank"), {"organization": world.branch.pk, "file": xlsx(rows)}
    )
    page = response.content.decode()
    assert "第 3 行「答案」" in page and "第 4 行「题型」" in page
    assert not Question.objects.exists()
    good = [HEAD, rows[1], ["党章", "判断", "题四", "", "", "", "", "", "", "对", "解析"]]
    client.post(reverse("learning:bank"), {"organization": world.branch.pk, "file": xlsx(good)})
    assert sorted(Question.objects.values_list("kind", "answer")) == [
        ("judge", [0]),
        ("single", [0]),
    ]


def test_take_a_quiz_on_the_phone_and_see_the_result(world, login):
    bank = questions(world, 3)
    qz = quiz(world)
    client = login(world.users["member"])
    page = client.get(reverse("learning:quiz", args=[qz.pk]))
    assert page.status_code == 200
    answers = {f"q_{q.pk}": str(q.answer[0]) for q in bank}
    response = client.post(reverse("learning:quiz", args=[qz.pk]), answers)
    attempt = QuizAttempt.objects.get()
    assert response.url == reverse("learning:result", args=[attempt.pk])
    assert attempt.score == 100
    assert "100" in client.get(response.url).content.decode()
    other = login(world.users["branch_secretary"])
    assert other.get(reverse("learning:result", args=[attempt.pk])).status_code == 404


def test_figures_cost_the_same_for_more_members(world, login, django_assert_max_num_queries):
    c = course(world)
    client = login(world.users["street_admin"])
    url = reverse("learning:figures") + f"?org={world.street.pk}"
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    from xianfeng.learning import services

    for m in world.branch.members.all():
        services.record_beat(m, c)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    rows = {r.org: r for r in response.context["rows"]}
    assert rows[world.branch].learners == world.branch.members.count()


def test_branch_secretary_requires_a_street_course_for_the_branch(world, login):
    from datetime import date

    c = course(world, org=world.street)
    client = login(world.users["branch_secretary"])
    assert client.get(reverse("learning:course", args=[c.pk])).status_code == 200
    client.post(
        reverse("learning:require", args=[c.pk]),
        {"organization": world.branch.pk, "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert [(r.organization, r.ends_on) for r in c.requirements.all()] == [
        (world.branch, date(2026, 12, 31))
    ]
