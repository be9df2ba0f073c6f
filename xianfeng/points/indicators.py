"""What points measure about an organization, for the star rating (`xianfeng.core.events`)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from xianfeng.core.events import indicator, member_input
from xianfeng.orgs.models import Organization

_SUM_SQL = """
SELECT COALESCE(SUM(t.total), 0) FROM points_pointtotal t
JOIN members_member m ON m.id = t.member_id
JOIN orgs_organization o ON o.id = m.organization_id
WHERE t.period = %s AND o.path LIKE %s
"""


@indicator("points.per_member", _("党员人均积分"), unit="分")
def per_member(orgs, year):
    """Points booked in `year` by the subtree's current members, per active member (0.1)."""
    result = {}
    with connection.cursor() as cursor:
        for org in orgs:
            members = Organization.objects.filter(path__startswith=org.path).aggregate(
                n=Sum("member_count")
            )["n"]
            if not members:
                result[org.pk] = None
                continue
            cursor.execute(_SUM_SQL, [str(year), org.path + "%"])
            total = cursor.fetchone()[0]
            result[org.pk] = (Decimal(total) / members).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return result


@member_input("points", _("积分"))
def points_score(members, year):
    """A member's points in `year` as 0–100 of the best total among `members` (all 0 → 0)."""
    from .models import PointTotal

    ids = list(members.values_list("pk", flat=True))
    totals = dict(
        PointTotal.objects.filter(member_id__in=ids, period=str(year)).values_list(
            "member_id", "total"
        )
    )
    best = max([t for t in totals.values() if t > 0], default=0)
    return {pk: round(100 * max(totals.get(pk, 0), 0) / best, 1) if best else 0 for pk in ids}
