"""Workbench: open cases of the enterprises I serve as 企业服务专员."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.core.workbench import TodoItem, workbench_provider
from xianfeng.resident_requests.models import OPEN_STATUSES

from .models import EnterpriseCase


@workbench_provider("enterprise")
def enterprise_todo(user, today):
    open_cases = EnterpriseCase.objects.filter(
        enterprise__specialist=user, request__status__in=OPEN_STATUSES
    ).count()
    yield TodoItem(
        "enterprise.cases", _("我服务企业的未办结诉求"), open_cases, reverse("enterprise:mine")
    )
