"""评星定级 of 北坦街道 (the street whose branches live the demo year), by the real evaluation.

Last year is evaluated in January and published; this year is evaluated in December (the
draft the street reviews before publishing). Each branch's reviewed items are scored by the
district's reviewer through `set_review_score`, from what the records show (the share of
the branch's invitations its members attended, stated in the evidence); the computed items
come from the indicators, i.e. the demo's own meetings, requests, dues, archives and points.
Stars are limited against last year's by the standard's promote/demote limits; branches
rated 软弱涣散 get a rectification plan through the service.
"""

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from xianfeng.accounts.models import User
from xianfeng.assessment.models import ItemKind, Round, Standard, StarRating
from xianfeng.assessment.services import (
    create_rectification_plan,
    evaluable_orgs,
    evaluate_round,
    install_default_standards,
    publish_round,
    set_review_score,
)
from xianfeng.meetings.models import Attendance, AttendanceStatus
from xianfeng.orgs.models import Organization

from . import clock

RATED = "北坦街道党工委"
MEASURES = (
    "调整充实支部班子；上级党委班子成员包联指导；每月召开支委会研究整改；年底前完成阵地规范化建设"
)


def load(ctx):
    root = Organization.objects.filter(name=RATED).first()
    if root is None or Round.objects.filter(organization=root).exists():
        return
    reviewer = User.objects.get(username="admin")
    this_year = ctx.today.year
    last_year = this_year - 1
    with clock.at(_moment(date(this_year, 1, 12), 9)):
        rate(root, last_year, reviewer)
    with clock.at(_moment(date(this_year, 1, 20), 9)):
        rnd = Round.objects.get(organization=root, year=last_year)
        publish_round(rnd, actor=reviewer)
        plans(root, last_year, reviewer, deadline=date(this_year, 6, 30))
    with clock.at(_moment(ctx.today, 9)):
        rate(root, this_year, reviewer)


def _moment(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def rate(root, year, reviewer):
    install_default_standards(year, actor=reviewer)
    standards = {s.domain: s for s in Standard.objects.filter(year=year).prefetch_related("items")}
    for org in evaluable_orgs(root).order_by("path"):
        standard = standards.get(org.domain)
        if standard is None:
            continue
        share, invited = attendance_share(org, year)
        for item in standard.items.all():
            if item.kind != ItemKind.REVIEWED:
                continue
            score = (item.max_score * share).quantize(Decimal("0.5"), rounding=ROUND_HALF_UP)
            evidence = (
                f"查阅{year}年会议记录：应到{invited}人次，出席率{share:.0%}"
                if invited
                else f"{year}年无会议记录"
            )
            set_review_score(org, item, score=score, evidence=evidence, actor=reviewer)
    return evaluate_round(root, year, actor=reviewer)


def attendance_share(org, year):
    """(share of the invitations in `year` the organization's members attended, invitations)."""
    row = Attendance.objects.filter(
        meeting__organization__path__startswith=org.path, meeting__held_on__year=year
    ).aggregate(invited=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)))
    if not row["invited"]:
        return Decimal("0"), 0
    return Decimal(row["present"]) / Decimal(row["invited"]), row["invited"]


def plans(root, year, actor, *, deadline):
    weak = StarRating.objects.filter(
        year=year, weak_and_lax=True, organization__path__startswith=root.path
    ).select_related("organization")
    for rating in weak:
        org = rating.organization
        create_rectification_plan(
            org,
            year,
            measures=MEASURES,
            owner=f"{org.name.removesuffix('党支部')}第一书记",
            deadline=deadline,
            actor=actor,
        )
