"""Workbench: developments that broke a time rule (a step or a report overdue).

The count runs check_timing over every active development of the user's subtree (a city:
thousands) on plain rows: four value queries and tuples instead of model instances with
three prefetches (the prefetch built a queryset per development and relation, and the
development rows decrypted two ID numbers each: 2.5 s of the city's workbench).
"""

from collections import defaultdict
from types import SimpleNamespace
from typing import NamedTuple

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import has_perm_anywhere, scope_orgs
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .models import ActivistReview, Development, DevelopmentStatus, DevelopmentStep, ThoughtReport
from .rules import check_timing


class Step(NamedTuple):
    step: str
    done_on: object
    end_on: object
    hours: object


class Report(NamedTuple):
    year: int
    quarter: int


class Review(NamedTuple):
    reviewed_on: object


class Rows(list):
    """A list that answers `.all()`, as the prefetched managers check_timing reads."""

    def all(self):
        return self


def timing_rows(developments):
    """Lightweight stand-ins of `developments` for check_timing, in four queries."""
    devs = {
        pk: SimpleNamespace(
            pk=pk,
            probation_extension_months=extension,
            steps=Rows(),
            thought_reports=Rows(),
            activist_reviews=Rows(),
        )
        for pk, extension in developments.values_list("pk", "probation_extension_months")
    }
    ids = developments.values("pk")
    related = (
        ("steps", DevelopmentStep, ("step", "done_on", "end_on", "hours"), Step),
        ("thought_reports", ThoughtReport, ("year", "quarter"), Report),
        ("activist_reviews", ActivistReview, ("reviewed_on",), Review),
    )
    for attr, model, fields, row in related:
        grouped = defaultdict(list)
        for dev_id, *values in model.objects.filter(development_id__in=ids).values_list(
            "development_id", *fields
        ):
            grouped[dev_id].append(row(*values))
        for dev_id, rows in grouped.items():
            if dev_id in devs:
                getattr(devs[dev_id], attr).extend(rows)
    return devs.values()


@workbench_provider("development")
def development_todo(user, today):
    if not has_perm_anywhere(user, Perm.MEMBER_CHANGE):
        return
    active = Development.objects.filter(
        organization__in=scope_orgs(user, Perm.MEMBER_CHANGE), status=DevelopmentStatus.ACTIVE
    )
    late = sum(1 for dev in timing_rows(active) if check_timing(dev, today))
    yield TodoItem(
        "development.late",
        _("发展党员环节超过时限"),
        late,
        reverse("development:list"),
        Urgency.OVERDUE,
    )
