"""Recompute every organization's direct member counts and report (or fix) any drift.

The counts are kept exact by the member services (docs/decisions/0002-member-count-rollups.md);
this is the safety net: run it after manual SQL, restores or a crashed import.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, F, Q

from xianfeng.members.models import ACTIVE_STATUSES, Category
from xianfeng.orgs.models import Organization

FIELDS = ("member_count", "full_member_count", "probationary_member_count")


def drift(orgs):
    """[(org, (stored counts), (actual counts))] for organizations whose counts are wrong."""
    active = Q(members__status__in=ACTIVE_STATUSES)
    rows = (
        orgs.order_by()
        .annotate(
            n=Count("members", filter=active),
            n_full=Count("members", filter=active & Q(members__category=Category.FULL)),
            n_prob=Count("members", filter=active & Q(members__category=Category.PROBATIONARY)),
        )
        .filter(
            ~Q(member_count=F("n"))
            | ~Q(full_member_count=F("n_full"))
            | ~Q(probationary_member_count=F("n_prob"))
        )
        .values_list("pk", "code", *FIELDS, "n", "n_full", "n_prob")
    )
    return [(pk, code, tuple(r[:3]), tuple(r[3:])) for pk, code, *r in rows.iterator()]


def recount(orgs, *, fix=False):
    """Check `orgs` (a queryset); with fix=True write the actual counts. Returns the drift list."""
    found = drift(orgs)
    if fix:
        with transaction.atomic():
            for pk, _code, _stored, actual in found:
                Organization.objects.filter(pk=pk).update(**dict(zip(FIELDS, actual, strict=True)))
    return found


class Command(BaseCommand):
    help = "核对各党组织直属党员数(member_count 等)与党员表是否一致；--fix 修正"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="修正不一致的计数")
        parser.add_argument("--org", help="只核对该组织代码及其下级")

    def handle(self, *args, org=None, fix=False, **options):
        orgs = Organization.objects.all()
        if org:
            root = Organization.objects.get(code=org)
            orgs = orgs.filter(path__startswith=root.path)
        found = recount(orgs, fix=fix)
        for _pk, code, stored, actual in found[:50]:
            self.stdout.write(f"{code}: 记录 stored {stored} → 实际 actual {actual}")
        if len(found) > 50:
            self.stdout.write(f"… 另有 {len(found) - 50} 个")
        verb = "已修正 fixed" if fix else "不一致 drifted"
        self.stdout.write(f"核对 {orgs.count():,} 个组织，{verb} {len(found):,} 个")
        if found and not fix:
            raise SystemExit(1)
