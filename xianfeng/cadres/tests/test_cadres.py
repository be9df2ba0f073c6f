from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xianfeng.cadres import services
from xianfeng.cadres.models import CadreStatus, Evaluation, ReserveCadre, TrainingRecord
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.members.models import Member, MemberStatus
from xianfeng.testing import FORMULA_TEXT, assert_safe_and_printable

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def add(world, member=None, org=None, **fields):
    fields.setdefault("intended_post", "村委委员")
    fields.setdefault("entered_on", date(2022, 3, 1))
    return services.add_reserve_cadre(
        org or world.branch, member or world.member, actor=world.users["org_officer"], **fields
    )


def test_add_is_audited_and_once_per_pool(world):
    cadre = add(world)
    assert cadre.status == CadreStatus.ACTIVE
    assert AuditLog.objects.filter(action="cadre.add").count() == 1
    with pytest.raises(DomainError, match="已在本组织后备干部库中"):
        add(world)
    # The street keeps its own pool: the same member may stand in it too.
    assert add(world, org=world.street).organization == world.street


def test_member_outside_the_pool_org_or_inactive_is_refused(world):
    with pytest.raises(DomainError, match="不在所选党组织内"):
        add(world, member=world.other_member)
    Member.objects.filter(pk=world.member.pk).update(status=MemberStatus.MOVED_OUT)
    world.member.refresh_from_db()
    with pytest.raises(DomainError, match="党籍状态不正常"):
        add(world)


def test_entry_date_edge(world):
    assert add(world, entered_on=TODAY())
    with pytest.raises(DomainError, match="晚于今天"):
        add(world, org=world.street, entered_on=TODAY().replace(year=TODAY().year + 1))


def test_appointment_closes_the_entry_and_allows_a_new_one(world):
    cadre = add(world)
    with pytest.raises(DomainError, match="不能早于入库日期"):
        services.set_cadre_status(cadre, "appointed", on=date(2022, 2, 28), actor=None)
    services.set_cadre_status(cadre, "appointed", on=date(2022, 3, 1), actor=None)
    with pytest.raises(DomainError, match="状态为“已任用”"):
        services.set_cadre_status(cadre, "removed", on=date(2022, 4, 1), actor=None)
    assert add(world, intended_post="村党支部副书记").status == CadreStatus.ACTIVE


def test_training_and_evaluation_rules(world):
    cadre = add(world)
    services.record_training(
        cadre, course="村干部能力提升班", started_on=date(2022, 5, 1), hours=16, actor=None
    )
    with pytest.raises(DomainError, match="已记录"):
        services.record_training(
            cadre, course="村干部能力提升班", started_on=date(2022, 5, 1), actor=None
        )
    with pytest.raises(DomainError, match="结束日期不能早于"):
        services.record_training(
            cadre, course="x", started_on=date(2022, 5, 2), ended_on=date(2022, 5, 1), actor=None
        )
    services.record_evaluation(
        cadre, year=2022, result="excellent", evaluator="街道党工委", actor=None
    )
    with pytest.raises(DomainError, match="2022年度评价已记录"):
        services.record_evaluation(cadre, year=2022, result="competent", evaluator="x", actor=None)
    with pytest.raises(DomainError, match="早于入库年度"):
        services.record_evaluation(cadre, year=2021, result="competent", evaluator="x", actor=None)
    with pytest.raises(DomainError, match="未来年度"):
        services.record_evaluation(
            cadre, year=TODAY().year + 1, result="competent", evaluator="x", actor=None
        )
    assert TrainingRecord.objects.count() == 1 and Evaluation.objects.count() == 1


def test_list_is_scoped_and_shows_latest_evaluation(world, login, django_assert_max_num_queries):
    cadre = add(world)
    services.record_evaluation(cadre, year=2022, result="basic", evaluator="x", actor=None)
    services.record_evaluation(cadre, year=2023, result="excellent", evaluator="x", actor=None)
    add(world, member=world.other_member, org=world.other_branch)
    client = login(world.users["street_admin"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cadres:list"))
    [row] = response.context["cadres"]
    assert row.latest_evaluation.year == 2023
    outsider = login(world.users["outsider"]).get(reverse("cadres:list"))
    assert [c.member.name for c in outsider.context["cadres"]] == ["赵六"]
    assert (
        login(world.users["outsider"]).get(reverse("cadres:detail", args=[cadre.pk])).status_code
        == 404
    )


def test_add_through_form_by_id_number_inside_scope_only(world, login):
    client = login(world.users["org_officer"])
    data = {
        "organization": world.branch.pk,
        "id_number": world.other_member.id_number,
        "intended_post": "委员",
        "entered_on": "2023-01-01",
    }
    response = client.post(reverse("cadres:add"), data)
    assert response.status_code == 200 and "未找到" in response.content.decode()
    data["id_number"] = world.member.id_number
    response = client.post(reverse("cadres:add"), data)
    assert response.status_code == 302
    assert ReserveCadre.objects.get().member == world.member


def test_evaluation_form_error_is_shown(world, login):
    cadre = add(world)
    client = login(world.users["org_officer"])
    url = reverse("cadres:evaluation", args=[cadre.pk])
    data = {"year": 2020, "result": "excellent", "evaluator": "党工委"}
    response = client.post(url, data)
    assert response.status_code == 400 and "早于入库年度" in response.content.decode()
    data["year"] = 2023
    assert client.post(url, data).status_code == 302


def test_export_masks_id_number_for_every_role(world, login):
    add(world)
    for role, masked in (("observer", True), ("street_admin", True)):
        response = login(world.users[role]).get(reverse("cadres:export"))
        sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "姓名" and rows[1][0] == "张三"
        assert ("*" in rows[1][1]) is masked
    assert AuditLog.objects.filter(action="cadres.export").count() == 2


def test_export_writes_formula_text_as_text_and_prints(world, login):
    add(world)
    Member.objects.filter(pk=world.member.pk).update(name=FORMULA_TEXT)
    response = login(world.users["street_admin"]).get(reverse("cadres:export"))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert sheet["G2"].is_date
    assert_safe_and_printable(sheet)
