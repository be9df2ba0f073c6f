"""The progress board and the big screen's figures, read from the counts table only."""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from .models import Campaign, CaseClass, StageCount, WorkGroup
from .rules import CampaignKind, CampaignStatus, stages_of


def board(campaign):
    """Counts per stage, class × stage, group × stage, and day by day how many households
    had reached each stage: four queries whatever the number of households."""
    stages = [(code, str(label)) for code, label in stages_of(campaign.kind)]
    codes = [code for code, _label in stages]
    classes = list(CaseClass.objects.filter(campaign=campaign).values_list("pk", "name"))
    groups = list(WorkGroup.objects.filter(campaign=campaign).values_list("pk", "name"))
    now = defaultdict(int)
    by_class = defaultdict(int)
    by_group = defaultdict(int)
    daily = defaultdict(int)
    rows = StageCount.objects.filter(campaign=campaign).values_list(
        "day", "group_key", "class_key", "stage", "n"
    )
    for day, group_key, class_key, stage, n in rows:
        if day is None:
            now[stage] += n
            by_class[(class_key, stage)] += n
            by_group[(group_key, stage)] += n
        else:
            daily[(day, stage)] += n
    total = sum(now.values())

    class_rows = [
        (name, [by_class[(pk, code)] for code in codes], sum(by_class[(pk, c)] for c in codes))
        for pk, name in [*classes, (0, "未分类")]
    ]
    group_rows = [
        (name, [by_group[(pk, code)] for code in codes], sum(by_group[(pk, c)] for c in codes))
        for pk, name in [*groups, (0, "未分组")]
    ]
    class_rows = [r for r in class_rows if r[2] or r[0] != "未分类"]
    group_rows = [r for r in group_rows if r[2] or r[0] != "未分组"]
    return {
        "stages": stages,
        "total": total,
        "now": [now[code] for code in codes],
        "stage_rows": [(code, label, now[code]) for code, label in stages],
        "by_class": class_rows,
        "by_group": group_rows,
        "days": _days(campaign, codes, daily),
        "done": now[codes[-1]],
        "done_pct": round(100 * now[codes[-1]] / total) if total else 0,
    }


def _days(campaign, codes, daily):
    """(day, [households that had reached each stage by the end of that day]) per day from
    the first recorded day to today or the campaign's end."""
    if not daily:
        return []
    first = min(day for day, _stage in daily)
    last = max(
        max(day for day, _stage in daily),
        min(timezone.localdate(), campaign.closed_on or campaign.ends_on),
    )
    running = dict.fromkeys(codes, 0)
    days = []
    day = first
    while day <= last:
        for code in codes:
            running[code] += daily.get((day, code), 0)
        days.append((day, [running[code] for code in codes]))
        day += timedelta(days=1)
    return days


def progress_for_org(org) -> list[dict]:
    """Campaigns in progress inside `org`'s subtree (or run by it), with their counts per stage:
    two queries whatever the number of campaigns and households. For the big screen."""
    campaigns = list(
        Campaign.objects.filter(status=CampaignStatus.ACTIVE, branch__path__startswith=org.path)
        .select_related("street")
        .order_by("starts_on", "pk")
    )
    if not campaigns:
        return []
    counts = defaultdict(int)
    rows = StageCount.objects.filter(campaign__in=[c.pk for c in campaigns], day=None)
    for campaign_id, stage, n in rows.values_list("campaign_id", "stage", "n"):
        counts[(campaign_id, stage)] += n
    today = timezone.localdate()
    result = []
    for c in campaigns:
        stages = [
            {"code": code, "label": str(label), "n": counts[(c.pk, code)]}
            for code, label in stages_of(c.kind)
        ]
        total = sum(s["n"] for s in stages)
        done = stages[-1]["n"]
        result.append(
            {
                "id": c.pk,
                "name": c.name,
                "kind": c.kind,
                "kind_label": str(CampaignKind(c.kind).label),
                "street": c.street.name,
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "days_left": (c.ends_on - today).days,
                "total": total,
                "stages": stages,
                "done": done,
                "done_pct": round(100 * done / total) if total else 0,
                "link": f"/campaigns/{c.pk}/",
            }
        )
    return result
