from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.enterprise.models import GROUP, Enterprise, EnterpriseCase
from xianfeng.enterprise.services import register_enterprise, submit_enterprise_request
from xianfeng.enterprise.testing import credit_code
from xianfeng.notices.models import Notice
from xianfeng.resident_requests.models import Category, ResidentRequest, TimeUnit
from xianfeng.resident_requests.services import due_after
from xianfeng.resident_requests.testing import make_category


def _submit(enterprise, category, actor, key="k1"):
    return submit_enterprise_request(
        enterprise,
        category=category,
        description="新厂房环评手续代办",
        actor=actor,
        idempotency_key=key,
    )


def test_migration_categories_have_limits_and_checklists(db):
    cats = Category.objects.filter(group=GROUP)
    assert {c.code for c in cats} >= {
        "ent_license",
        "ent_project",
        "ent_recruitment",
        "ent_policy",
        "ent_financing",
        "ent_utilities",
        "ent_registration",
    }
    assert all(c.checklist.exists() for c in cats)
    policy = cats.get(code="ent_policy")
    assert (policy.respond_within, policy.respond_unit) == (4, TimeUnit.WORK_HOURS)


def test_register_checks_the_credit_code(world):
    actor = world.users["street_admin"]
    fields = dict(
        name="济南某科技有限公司",
        industry="tech",
        address="大学路1号",
        contact_name="王强",
        contact_phone="13900000000",
        organization=world.branch,
    )
    with pytest.raises(DomainError, match="校验位"):
        register_enterprise(actor=actor, credit_code="91350100M000100Y44", **fields)
    enterprise = register_enterprise(actor=actor, credit_code="91350100m000100y43", **fields)
    assert enterprise.credit_code == "91350100M000100Y43"
    with pytest.raises(DomainError, match="已登记"):
        register_enterprise(actor=actor, credit_code="91350100M000100Y43", **fields)
    assert Enterprise.objects.count() == 1


def test_bad_phone_refused(world):
    with pytest.raises(DomainError, match="联系电话"):
        register_enterprise(
            actor=world.users["street_admin"],
            name="某公司",
            credit_code=credit_code(),
            address="x",
            contact_name="王",
            contact_phone="123",
            organization=world.branch,
        )


def test_routed_to_the_enterprise_organization_then_the_street(world, enterprise, project):
    case, created = _submit(enterprise, project, world.users["branch_secretary"])
    req = case.request
    assert created and case.enterprise == enterprise
    assert req.organization == world.branch and req.holder_org == world.branch
    assert (req.resident_name, req.resident_phone) == ("李明", "13812345678")
    assert req.channel == "visit" and req.address == enterprise.address


def test_retry_returns_the_same_case(world, enterprise, project):
    actor = world.users["branch_secretary"]
    first, created = _submit(enterprise, project, actor)
    again, created_again = _submit(enterprise, project, actor)
    assert created and not created_again and again.pk == first.pk
    assert ResidentRequest.objects.count() == EnterpriseCase.objects.count() == 1


def test_key_reused_for_another_enterprise_is_refused(world, enterprise, project):
    from xianfeng.enterprise.testing import make_enterprise

    other = make_enterprise(world.branch, name="另一家公司")
    _submit(enterprise, project, world.users["branch_secretary"])
    with pytest.raises(DomainError, match="其他企业"):
        _submit(other, project, world.users["branch_secretary"])


def test_category_time_limits_applied(world, enterprise, project, monkeypatch):
    start = timezone.make_aware(datetime(2026, 3, 2, 10, 0))  # a Monday
    monkeypatch.setattr(timezone, "now", lambda: start)
    case, _ = _submit(enterprise, project, world.users["branch_secretary"])
    req = case.request
    assert req.respond_due == due_after(start, 1, TimeUnit.WORKDAYS)
    assert req.finish_due == due_after(start, 15, TimeUnit.WORKDAYS)
    assert timezone.localtime(req.finish_due).date() == datetime(2026, 3, 23).date()


def test_only_enterprise_categories(world, enterprise):
    with pytest.raises(DomainError, match="企业服务类别"):
        _submit(enterprise, make_category(), world.users["branch_secretary"])
    assert not ResidentRequest.objects.exists()


def test_specialist_notified_once(
    world, enterprise, project, specialist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case, _ = _submit(enterprise, project, world.users["branch_secretary"])
    notes = Notice.objects.filter(
        recipient=specialist, link=reverse("requests:detail", args=[case.request.pk])
    )
    assert notes.count() == 1 and enterprise.name in notes.get().title
