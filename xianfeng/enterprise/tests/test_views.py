from django.urls import reverse
from django.utils import timezone

from xianfeng.enterprise.figures import cases_in, enterprise_figures
from xianfeng.enterprise.models import EnterpriseCase
from xianfeng.enterprise.services import submit_enterprise_request
from xianfeng.enterprise.testing import make_enterprise
from xianfeng.resident_requests.models import Category, Status
from xianfeng.resident_requests.services import accept_request, solve_request


def test_outsider_gets_404_everywhere(world, login, enterprise):
    client = login(world.users["outsider"])
    for name in ("detail", "edit", "intake"):
        assert client.get(reverse(f"enterprise:{name}", args=[enterprise.pk])).status_code == 404
    page = client.get(reverse("enterprise:list"))
    assert enterprise.name not in page.content.decode()


def test_specialist_sees_their_enterprise_outside_their_grant(world, login, enterprise, specialist):
    # The specialist is granted on 北坦 (branch2); the enterprise belongs to 北关 (branch).
    client = login(specialist)
    mine = client.get(reverse("enterprise:mine")).content.decode()
    assert enterprise.name in mine and "13812345678" in mine
    assert client.get(reverse("enterprise:detail", args=[enterprise.pk])).status_code == 200
    assert client.get(reverse("enterprise:intake", args=[enterprise.pk])).status_code == 200
    assert client.get(reverse("enterprise:edit", args=[enterprise.pk])).status_code == 404
    category = Category.objects.get(code="ent_policy")
    data = {
        "category": category.pk,
        "description": "政策咨询",
        "channel": "phone",
        "idempotency_key": "s",
    }
    response = client.post(reverse("enterprise:intake", args=[enterprise.pk]), data)
    # The request page follows the requests app's scoping: back to the enterprise instead.
    assert response.url == reverse("enterprise:detail", args=[enterprise.pk])
    assert EnterpriseCase.objects.get().request.organization == world.branch


def test_phone_masked_for_everyone_but_the_specialist(world, login, enterprise):
    observer = login(world.users["observer"]).get(reverse("enterprise:list")).content.decode()
    assert "138****5678" in observer and "13812345678" not in observer and "李*" in observer
    secretary = login(world.users["branch_secretary"]).get(reverse("enterprise:list"))
    assert "13812345678" not in secretary.content.decode()
    edit = login(world.users["branch_secretary"]).get(
        reverse("enterprise:edit", args=[enterprise.pk])
    )
    assert edit.status_code != 200 or "13812345678" not in edit.content.decode()


def test_intake_page_submits_once_and_links_to_the_request(world, login, enterprise):
    client = login(world.users["branch_secretary"])
    url = reverse("enterprise:intake", args=[enterprise.pk])
    page = client.get(url).content.decode()
    assert "项目建议书或可行性研究报告" in page  # checklist shown
    assert "健康" not in page  # resident categories are not offered
    category = Category.objects.get(code="ent_license")
    data = {
        "category": category.pk,
        "description": "食品经营许可证",
        "channel": "visit",
        "idempotency_key": "abc",
    }
    first = client.post(url, data)
    second = client.post(url, data)
    case = EnterpriseCase.objects.get()
    assert first.url == second.url == reverse("requests:detail", args=[case.request_id])
    detail = client.get(reverse("enterprise:detail", args=[enterprise.pk])).content.decode()
    assert case.request.tracking_code in detail


def test_create_page_reports_a_bad_code(world, login):
    client = login(world.users["branch_secretary"])
    response = client.post(
        reverse("enterprise:create"),
        {
            "name": "济南某公司",
            "credit_code": "91350100M000100Y44",
            "industry": "tech",
            "address": "大学路1号",
            "contact_name": "王强",
            "contact_phone": "13900000000",
            "organization": world.branch.pk,
        },
    )
    assert response.status_code == 200 and "校验位不正确" in response.content.decode()
    response = client.post(
        reverse("enterprise:create"),
        {
            "name": "济南某公司",
            "credit_code": "91350100M000100Y43",
            "industry": "tech",
            "address": "大学路1号",
            "contact_name": "王强",
            "contact_phone": "13900000000",
            "organization": world.branch.pk,
        },
    )
    assert response.status_code == 302


def _cases(world, n=6):
    actor = world.users["street_admin"]
    cats = list(Category.objects.filter(group="企业服务")[:3])
    for i in range(n):
        enterprise = make_enterprise(world.branch if i % 2 else world.branch2, name=f"企业{i}")
        case, _ = submit_enterprise_request(
            enterprise,
            category=cats[i % 3],
            description="事项",
            actor=actor,
            idempotency_key=f"f{i}",
        )
        if i % 3 == 0:
            accept_request(case.request, actor=actor)
            solve_request(case.request, actor=actor, note="已办结")


def test_figures_in_three_queries(world, django_assert_num_queries):
    _cases(world)
    today = timezone.localdate()
    qs = cases_in(world.street.path, today, today)
    with django_assert_num_queries(3):
        data = enterprise_figures(qs)
    assert data["totals"]["total"] == 6 and data["totals"]["solved"] == 2
    assert data["totals"]["on_time_rate"] == 100.0
    assert sum(row["total"] for row in data["by_category"]) == 6
    assert len(data["by_enterprise"]) == 6


def test_list_and_figures_pages_do_not_grow_with_rows(world, login, django_assert_max_num_queries):
    _cases(world, 9)
    client = login(world.users["street_admin"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("enterprise:list"))
    assert page.content.decode().count("企业") >= 9
    with django_assert_max_num_queries(12):
        client.get(reverse("enterprise:figures"), {"org": world.street.pk})
    assert EnterpriseCase.objects.filter(request__status=Status.SOLVED).count() == 3
