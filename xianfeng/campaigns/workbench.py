"""Workbench: the dispatch assignments I own (late, due within two days, open) and the
households given to me (包户) in campaigns still running."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .models import Assignment, Case
from .rules import CampaignStatus


@workbench_provider("campaigns")
def campaigns_todo(user, today):
    link = reverse("campaigns:mine")
    open_ = Assignment.objects.filter(
        owner_id=user.pk, done_on=None, campaign__status=CampaignStatus.ACTIVE
    )
    figures = open_.aggregate(
        late=Count("id", filter=Q(due_on__lt=today)),
        soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=2))),
        later=Count("id", filter=Q(due_on__gt=today + timedelta(days=2))),
    )
    yield TodoItem("campaigns.late", _("超期的交办事项"), figures["late"], link, Urgency.OVERDUE)
    yield TodoItem("campaigns.soon", _("即将到期的交办事项"), figures["soon"], link, Urgency.SOON)
    yield TodoItem("campaigns.open", _("交办事项"), figures["later"], link, Urgency.TODO)
    cases = Case.objects.filter(
        responsible_id=user.pk, campaign__status=CampaignStatus.ACTIVE
    ).count()
    yield TodoItem("campaigns.cases", _("我包的户"), cases, link, Urgency.INFO)
