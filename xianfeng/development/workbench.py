"""Workbench: developments that broke a time rule (a step or a report overdue)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import has_perm_anywhere, scope_orgs
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .models import Development, DevelopmentStatus
from .rules import check_timing
from .services import RELATED


@workbench_provider("development")
def development_todo(user, today):
    if not has_perm_anywhere(user, Perm.MEMBER_CHANGE):
        return
    active = Development.objects.filter(
        organization__in=scope_orgs(user, Perm.MEMBER_CHANGE), status=DevelopmentStatus.ACTIVE
    ).prefetch_related(*RELATED)
    late = sum(1 for dev in active if check_timing(dev, today))
    yield TodoItem(
        "development.late",
        _("发展党员环节超过时限"),
        late,
        reverse("development:list"),
        Urgency.OVERDUE,
    )
