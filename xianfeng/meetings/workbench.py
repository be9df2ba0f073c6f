"""Workbench: meetings past their time but not recorded, meetings still to hold this month,
and, for a member, the meetings they are expected at."""

from datetime import timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths, path_q
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .models import Attendance, Meeting, MeetingStatus


@workbench_provider("meetings")
def meetings_todo(user, today):
    now = timezone.now()
    paths = granted_paths(user, Perm.MEETING_CHANGE)
    if paths:
        next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
        planned = Meeting.objects.filter(
            path_q("organization__path", paths), status=MeetingStatus.PLANNED
        )
        counts = planned.aggregate(
            missed=Count("pk", filter=Q(starts_at__lt=now)),
            month=Count("pk", filter=Q(starts_at__gte=now, held_on__lt=next_month)),
            first=Min("held_on", filter=Q(starts_at__gte=now, held_on__lt=next_month)),
        )
        link = reverse("meetings:list")
        yield TodoItem(
            "meetings.missed",
            _("已过会期未登记的会议"),
            counts["missed"],
            link,
            Urgency.OVERDUE,
        )
        yield TodoItem(
            "meetings.month",
            _("本月待召开的会议"),
            counts["month"],
            link,
            due=counts["first"],
        )
    if user.member_id:
        upcoming = Attendance.objects.filter(
            member_id=user.member_id,
            meeting__status=MeetingStatus.PLANNED,
            meeting__starts_at__gte=now,
        ).aggregate(n=Count("pk"), first=Min("meeting__held_on"))
        yield TodoItem(
            "meetings.mine",
            _("我要参加的会议"),
            upcoming["n"],
            reverse("meetings:mine"),
            Urgency.INFO,
            due=upcoming["first"],
        )
