"""What waits on the workbench: requests at my level (new, overdue, due soon), my grids' requests."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import has_perm_anywhere
from xianfeng.core import workcal
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider
from xianfeng.grid.scoping import own_grid_paths

from .models import NEARLY_DUE, OPEN_STATUSES, ResidentRequest, Status
from .routing import at_my_level_q


@workbench_provider("requests")
def requests_todo(user, today):
    now = timezone.now()
    base = reverse("requests:list")
    mine = ResidentRequest.objects.filter(at_my_level_q(user), status__in=OPEN_STATUSES)
    counts = mine.aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        overdue=Count("pk", filter=Q(next_due__lte=now)),
        soon=Count("pk", filter=Q(next_due__gt=now, next_due__lte=now + NEARLY_DUE)),
    )
    yield TodoItem(
        "requests.overdue",
        _("本级超期诉求"),
        counts["overdue"],
        f"{base}?at=me&due=overdue",
        Urgency.OVERDUE,
    )
    yield TodoItem(
        "requests.soon",
        _("本级即将超期诉求(4小时内)"),
        counts["soon"],
        f"{base}?at=me&due=soon",
        Urgency.SOON,
    )
    yield TodoItem("requests.new", _("本级待受理诉求"), counts["new"], f"{base}?at=me&status=new")
    grids = own_grid_paths(user)
    if grids:
        in_grids = Q()
        for path in grids:
            in_grids |= Q(grid__path__startswith=path)
        count = ResidentRequest.objects.filter(in_grids, status__in=OPEN_STATUSES).count()
        yield TodoItem(
            "requests.grid",
            _("我的网格未办结诉求"),
            count,
            f"{base}?grid=mine",
            Urgency.SOON,
            first=True,
        )


@workbench_provider("requests.calendar")
def calendar_todo(user, today):
    """The working calendar runs out (限时办结 deadlines would ignore 春节 and 调休): tell the
    people who keep it, 60 days ahead."""
    warning = workcal.calendar_warning(today)
    if not warning or not has_perm_anywhere(user, Perm.CALENDAR_MANAGE):
        return
    runs_out = workcal.calendar_runs_out_on(today)
    urgency = Urgency.OVERDUE if runs_out < today else Urgency.SOON
    yield TodoItem(
        "requests.calendar",
        warning,
        1,
        reverse("requests:calendar"),
        urgency,
        due=runs_out,
        figure=_("日历"),
    )
