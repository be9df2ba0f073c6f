from django.db.models import F
from django.utils import timezone

from xianfeng.demo import Context
from xianfeng.demo import enterprise as demo
from xianfeng.enterprise.creditcode import credit_code_error
from xianfeng.enterprise.models import Enterprise, EnterpriseCase
from xianfeng.orgs.models import OrgKind
from xianfeng.resident_requests.models import ResidentRequest, Status
from xianfeng.testing import make_org


def test_demo_is_idempotent_and_has_overdue_cases(db):
    street = make_org(demo.STREET, kind=OrgKind.COMMITTEE, code="GYH")
    joint = make_org(demo.INNOVATION, parent=street, code="CXDS")
    ctx = Context(today=timezone.localdate(), orgs={"GYH": street, "CXDS": joint})
    demo.load(ctx)
    demo.load(ctx)
    enterprises = Enterprise.objects.all()
    assert enterprises.count() == len(demo.ENTERPRISES)
    assert all(credit_code_error(e.credit_code) is None for e in enterprises)
    assert enterprises.filter(organization=joint, party_org=joint).count() == 5
    assert EnterpriseCase.objects.count() == ResidentRequest.objects.count() == demo.CASES
    requests = ResidentRequest.objects.all()
    assert requests.filter(status=Status.SOLVED).exists()
    assert requests.filter(next_due__lte=timezone.now()).exists()
    assert requests.filter(status=Status.SOLVED, solved_at__gt=F("finish_due")).exists()
