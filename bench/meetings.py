"""Meetings in the benchmark city and the compliance cases (issue 5).

`ensure_meetings` fills one year of held meetings for every branch and group of the city
in a few INSERT … SELECT statements (deterministic: `setseed`), with realistic gaps: each
meeting is skipped with a small probability, and one branch in ten is lax and skips a
third of them. Committee meetings only where a branch has a current committee.
"""

import time
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from .timing import compare

YEAR = 2026
QUARTER = (date(YEAR, 7, 1), date(YEAR, 9, 30))

# (kind, month expression over generate_series m, skip probability, org filter)
_MONTHLY = "generate_series(1, 12) AS m"
_QUARTERLY = "generate_series(1, 4) AS q(m0), LATERAL (SELECT q.m0 * 3 - 1 AS m) mm"
_YEARLY = "(VALUES (12)) AS y(m)"
PLAN = (
    ("theme_day", _MONTHLY, 0.06, "o.kind = 'branch'"),
    ("committee_meeting", _MONTHLY, 0.08, "o.kind = 'branch' AND c.organization_id IS NOT NULL"),
    ("group_meeting", _MONTHLY, 0.08, "o.kind = 'group'"),
    ("general_assembly", _QUARTERLY, 0.05, "o.kind = 'branch'"),
    ("party_lecture", _QUARTERLY, 0.08, "o.kind = 'branch'"),
    ("life_meeting", _YEARLY, 0.10, "o.kind = 'branch'"),
    ("democratic_review", _YEARLY, 0.10, "o.kind = 'branch'"),
)

INSERT = """
INSERT INTO meetings_meeting (organization_id, kind, local_kind, topic, starts_at, held_on,
    month_index, place, lecturer_name, given_by_secretary, status, minutes, resolutions,
    created_at)
SELECT o.id, %(kind)s, '', %(topic)s, d.day + time '14:30' - interval '8 hours', d.day,
       {year} * 12 + m - 1, '', '', %(kind)s = 'party_lecture' AND m = 5, 'held', '', '', now()
FROM orgs_organization o
LEFT JOIN (SELECT DISTINCT organization_id FROM orgs_committee WHERE status = 'current') c
       ON c.organization_id = o.id
CROSS JOIN {series}
CROSS JOIN LATERAL (SELECT make_date({year}, m, (1 + (o.id * 7 + m) %% 25)::int) AS day) d
WHERE o.path LIKE %(prefix)s AND o.status = 'active' AND {orgs}
  AND random() >= CASE WHEN o.id %% 10 = 3 THEN 0.33 ELSE %(skip)s END
"""


def ensure_meetings(city):
    from xianfeng.meetings.models import Meeting

    inside = Meeting.objects.filter(organization__path__startswith=city.path, held_on__year=YEAR)
    if inside.exists():
        return inside.count(), 0.0
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.5)")
        for kind, series, skip, orgs in PLAN:
            sql = INSERT.format(year=YEAR, series=series, orgs=orgs)
            params = {"kind": kind, "topic": kind, "prefix": city.path + "%", "skip": skip}
            cursor.execute(sql, params)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE meetings_meeting")
    return inside.count(), time.monotonic() - started


def compliance_cases(raw, orgs, reps):
    from xianfeng.meetings.compliance import _statement, compliance
    from xianfeng.meetings.rules import RULES

    today = timezone.localdate()
    for label in ("district", "city"):
        org = orgs[label]
        sql, params = _statement([org.path], [], RULES, *QUARTER, today)
        yield compare(
            f"meeting compliance · {label}",
            lambda org=org: compliance([org], *QUARTER, today),
            lambda sql=sql, params=params: raw.fetch(sql, params),
            reps=reps,
            note=f"{org.name}, {QUARTER[0]:%Y-%m}–{QUARTER[1]:%m}",
        )
