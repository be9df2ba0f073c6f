"""Figures of subtrees, as JSON, to compare an installation before export_street and after import_street.

    DATABASE_URL=… python -m bench.street_figures CODE [CODE …] > before.json

Subtree stats, meeting compliance over the last 365 days (per organization code), TOP10 for
every month and year of this and last year (by 身份证号), star ratings, request figures
(三率) and member counts. Used for the round trip in docs/benchmarks.md (issue 18 §4).
"""

import json
import os
import sys
from datetime import timedelta


def figures(code):
    from django.utils import timezone

    from xianfeng.assessment.models import StarRating
    from xianfeng.meetings.compliance import compliance
    from xianfeng.members.models import Member
    from xianfeng.orgs.models import Organization
    from xianfeng.orgs.stats import subtree_stats
    from xianfeng.points import rankings
    from xianfeng.resident_requests.figures import request_figures
    from xianfeng.resident_requests.models import ResidentRequest

    root = Organization.objects.get(code=code)
    under = root.path
    codes = dict(Organization.objects.filter(path__startswith=under).values_list("pk", "code"))
    members = Member.objects.filter(organization__path__startswith=under)
    ids = dict(members.values_list("pk", "id_number"))
    today = timezone.localdate()
    statuses = compliance([root], today - timedelta(days=365), today, today).statuses
    keys = [str(today.year), str(today.year - 1)] + [
        f"{y}-{m:02d}" for y in (today.year - 1, today.year) for m in range(1, 13)
    ]
    requests = ResidentRequest.objects.filter(organization__path__startswith=under)
    totals = request_figures(requests)["totals"]
    stars = StarRating.objects.filter(organization__path__startswith=under)
    return {
        "stats": subtree_stats(root),
        "compliance": {codes[k]: list(v) for k, v in statuses.items()},
        "top": {
            key: [(ids.get(p.member_id), p.rank, p.total) for p in rankings.top(root, key)]
            for key in keys
        },
        "stars": sorted([codes[s.organization_id], s.year, s.stars] for s in stars),
        "requests": {k: v for k, v in totals.items() if not str(k).startswith("avg")},
        "members": members.count(),
    }


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
    import django

    django.setup()
    out = {code: figures(code) for code in sys.argv[1:]}
    json.dump(out, sys.stdout, ensure_ascii=False, sort_keys=True, default=str)


if __name__ == "__main__":
    main()
