"""Workbench: committees whose term has ended or ends within 90 days."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import has_perm_anywhere, scope_orgs
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .services import terms_due


@workbench_provider("orgs")
def terms_todo(user, today):
    if not has_perm_anywhere(user, Perm.ORG_CHANGE):
        return
    counts = terms_due(scope_orgs(user, Perm.ORG_CHANGE), today).aggregate(
        ended=Count("pk", filter=Q(ends_on__lt=today)),
        soon=Count("pk", filter=Q(ends_on__gte=today)),
        first=Min("ends_on", filter=Q(ends_on__gte=today)),
    )
    link = reverse("orgs:terms")
    yield TodoItem("orgs.terms_ended", _("任期已满未换届"), counts["ended"], link, Urgency.OVERDUE)
    yield TodoItem(
        "orgs.terms_soon", _("90天内任期届满"), counts["soon"], link, Urgency.SOON, counts["first"]
    )
