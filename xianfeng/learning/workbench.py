"""Workbench: a member's required courses not finished yet."""

from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .models import StudyRecord
from .services import required_for


@workbench_provider("learning")
def learning_todo(user, today):
    if not user.member_id:
        return
    done = StudyRecord.objects.filter(member_id=user.member_id, completed_at__isnull=False)
    open_ones = required_for(user.member, today).exclude(course_id__in=done.values("course_id"))
    found = open_ones.aggregate(first=Min("ends_on"))
    yield TodoItem(
        "learning.required",
        _("未完成的必学课程"),
        open_ones.count(),
        reverse("learning:home"),
        Urgency.SOON,
        due=found["first"],
    )
