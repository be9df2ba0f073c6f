"""Study figures for a subtree: one row per child organization, a few grouped queries in all."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from xianfeng.accounts.scoping import lineage_paths
from xianfeng.members.models import Member
from xianfeng.orgs.models import Organization

from .models import QuizAttempt, RequiredCourse, StudyRecord


@dataclass
class Row:
    org: object
    members: int
    learners: int
    hours: float
    completed: int
    required_done: int
    required_due: int
    avg_score: float | None

    @property
    def required_share(self):
        return round(100 * self.required_done / self.required_due) if self.required_due else None


def org_figures(org, today=None):
    """Rows for `org`'s children (or `org` itself when it has none)."""
    today = today or timezone.localdate()
    children = list(Organization.objects.get_children(org).order_by("path")) or [org]
    width = len(children[0].path)
    prefix = Substr("member__organization__path", 1, width)
    records = StudyRecord.objects.filter(member__organization__path__startswith=org.path)
    required = _required_courses(org, today)
    study = _by_prefix(
        records.annotate(prefix=prefix),
        learners=Count("member", distinct=True),
        seconds=Sum("seconds"),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
        required_done=Count("pk", filter=Q(completed_at__isnull=False, course__in=required)),
    )
    scores = _by_prefix(
        QuizAttempt.objects.filter(
            member__organization__path__startswith=org.path, submitted_at__isnull=False
        ).annotate(prefix=prefix),
        avg=Avg("score"),
    )
    members = _by_prefix(
        Member.objects.active()
        .filter(organization__path__startswith=org.path)
        .annotate(prefix=Substr("organization__path", 1, width)),
        n=Count("pk"),
    )
    return [_row(child, study, scores, members, len(required)) for child in children]


def _row(child, study, scores, members, n_required):
    s = study.get(child.path, {})
    count = members.get(child.path, {}).get("n", 0)
    avg = scores.get(child.path, {}).get("avg")
    return Row(
        org=child,
        members=count,
        learners=s.get("learners", 0),
        hours=round((s.get("seconds") or 0) / 3600, 1),
        completed=s.get("completed", 0),
        required_done=s.get("required_done", 0),
        required_due=count * n_required,
        avg_score=round(avg, 1) if avg is not None else None,
    )


def _by_prefix(qs, **aggregates):
    rows = qs.order_by().values("prefix").annotate(**aggregates)
    return {row.pop("prefix"): row for row in rows}


def _required_courses(org, today):
    """Courses required of the whole subtree now: set on `org` or above it, in period."""
    return list(
        RequiredCourse.objects.filter(
            organization__path__in=lineage_paths(org), starts_on__lte=today, ends_on__gte=today
        )
        .values_list("course_id", flat=True)
        .distinct()
    )


def member_figures(org):
    """Per member of a branch: seconds studied and courses finished."""
    members = Member.objects.active().filter(organization__path__startswith=org.path)
    return members.annotate(
        seconds=Sum("study_records__seconds"),
        finished=Count("study_records", filter=Q(study_records__completed_at__isnull=False)),
    ).order_by("name_pinyin")
