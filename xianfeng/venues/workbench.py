"""工作台 items: bookings waiting for the venue's approval, and the user's own coming bookings."""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths, path_q
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .models import Booking, BookingStatus


@workbench_provider("venues")
def venues_todo(user, today):
    start = timezone.make_aware(datetime.combine(today, time.min))
    paths = granted_paths(user, Perm.ORG_CHANGE)
    pending = 0
    if paths:
        pending = Booking.objects.filter(
            path_q("room__venue__organization__path", paths),
            status=BookingStatus.PENDING,
            starts_at__gte=start,
        ).count()
    mine = Booking.objects.filter(
        created_by_id=user.pk,
        status__in=(BookingStatus.PENDING, BookingStatus.APPROVED),
        starts_at__gte=start,
    ).count()
    link = reverse("venues:bookings")
    return [
        TodoItem("venues.pending", _("功能室预约待审核"), pending, link + "?status=pending"),
        TodoItem("venues.mine", _("我的功能室预约"), mine, link + "?mine=1", Urgency.INFO),
    ]
