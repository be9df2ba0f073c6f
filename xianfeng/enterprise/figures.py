"""Figures for the enterprise cases of one organization subtree and period (three grouped queries)."""

from django.db.models import Count, Q
from django.utils import timezone

from xianfeng.resident_requests.figures import TOTALS, period_bounds, with_rates
from xianfeng.resident_requests.models import OPEN_STATUSES, ResidentRequest


def cases_in(org_path, start, end):
    lower, upper = period_bounds(start, end)
    return ResidentRequest.objects.filter(
        enterprise_case__isnull=False,
        organization__path__startswith=org_path,
        created_at__gte=lower,
        created_at__lte=upper,
    )


def enterprise_figures(qs, now=None):
    """Totals with on-time rate and average time to finish, by category and by enterprise."""
    now = now or timezone.now()
    totals = with_rates(
        qs.aggregate(
            **TOTALS,
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(next_due__lte=now)),
        )
    )
    totals["avg_finish_days"] = _days(totals["avg_finish"])
    return {
        "totals": totals,
        "by_category": _grouped(qs, "category__name"),
        "by_enterprise": _grouped(qs, "enterprise_case__enterprise__name")[:50],
    }


def _days(duration):
    return round(duration.total_seconds() / 86400, 1) if duration is not None else None


def _grouped(qs, key):
    rows = []
    for row in qs.values(key).annotate(**TOTALS).order_by("-total", key):
        row = with_rates(row)
        row["name"] = row.pop(key)
        row["avg_finish_days"] = _days(row["avg_finish"])
        rows.append(row)
    return rows
