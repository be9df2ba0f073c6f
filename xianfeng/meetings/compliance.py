"""Compliance with the rules table for any subtree and period, in one statement per rule set.

For every active branch, committee (党委书记讲党课) and group with members under the roots and every rule that binds it, the
statement returns a status: met, pending (the current period is still open), late (the
current period is open, nothing held yet, and a planned date has passed), missed (a
period that has ended had too few meetings) or not applicable. It is hand-written SQL
(PostgreSQL and SQLite) because the whole city is 60,000 organizations: the counting,
the periods and the verdict all happen in the database and Python only reads one row
per organization (docs/benchmarks.md). Rule sets differ only where a `RuleOverride`
sits inside the subtree, so the number of statements is 1 + the overrides inside it.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connection

from xianfeng.orgs.stats import covering_paths

from .models import RuleOverride, month_index
from .rules import OVERRIDABLE, RULES, apply_overrides

NA, MET, PENDING, LATE, MISSED = 0, 1, 2, 3, 4
STATUS_LABELS = {NA: "不适用", MET: "已达标", PENDING: "进行中", LATE: "已逾期", MISSED: "未达标"}
CODES = tuple(rule.code for rule in RULES)


@dataclass
class Compliance:
    """{org id: (status per rule, in CODES order)} for the orgs that any rule binds."""

    statuses: dict

    def status(self, org_id, code):
        row = self.statuses.get(org_id)
        return row[CODES.index(code)] if row else NA

    def by_rule(self):
        """{code: Counter(status → organizations)}."""
        counts = {code: Counter() for code in CODES}
        for row in self.statuses.values():
            for code, status in zip(CODES, row, strict=True):
                if status != NA:
                    counts[code][status] += 1
        return counts

    def rule_share(self, code):
        c = self.by_rule()[code]
        judged = c[MET] + c[LATE] + c[MISSED]
        return c[MET] / judged if judged else None

    def compliant(self, org_id):
        row = self.statuses.get(org_id, ())
        return bool(row) and not any(s in (LATE, MISSED) for s in row) and any(row)

    def share_compliant(self):
        """Organizations with no missed or late rule ÷ organizations some rule binds."""
        bound = [row for row in self.statuses.values() if any(row)]
        if not bound:
            return None
        ok = sum(1 for row in bound if not any(s in (LATE, MISSED) for s in row))
        return ok / len(bound)

    def orgs_with(self, code, status):
        i = CODES.index(code)
        return [org_id for org_id, row in self.statuses.items() if row[i] == status]


def compliance(roots, start, end, today):
    """Compliance of every active branch and group under `roots` (orgs) for [start, end]."""
    statuses = {}
    if not roots:
        return Compliance(statuses)
    for include, exclude, rules in _segments([r.path for r in roots]):
        sql, params = _statement(include, exclude, rules, start, end, today)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                statuses[row[0]] = row[1:]
    return Compliance(statuses)


def _segments(paths):
    """(include prefixes, exclude prefixes, rules) for each rule set in the subtrees."""
    roots = covering_paths(paths)
    overrides = _overrides_touching(roots)
    if not overrides:
        return [(roots, [], RULES)]
    inner = sorted({p for p in overrides if any(p.startswith(r) for r in roots)})
    segments = []
    for root in roots:
        starts = [root] + [p for p in inner if p.startswith(root) and p != root]
        for seg in starts:
            deeper = [p for p in starts if p != seg and p.startswith(seg)]
            segments.append(([seg], deeper, _rules_at(seg, overrides)))
    return segments


def _overrides_touching(roots):
    """{org path: {rule code: fields}} for overrides above or inside the roots."""
    found = {}
    rows = RuleOverride.objects.select_related("organization").order_by()
    for o in rows:
        path = o.organization.path
        if any(path.startswith(r) or r.startswith(path) for r in roots):
            fields = {f: getattr(o, f) for f in OVERRIDABLE}
            found.setdefault(path, {})[o.rule_code] = fields
    return found


def _rules_at(path, overrides):
    rules = RULES
    for above in sorted(p for p in overrides if path.startswith(p)):
        rules = apply_overrides(rules, overrides[above])
    return rules


def _meetings_of_o():
    """Held meetings of each organization of `o` in the months %s..%s, as `mt`."""
    if connection.vendor == "postgresql":
        # A plain join lets PostgreSQL hash every meeting of the year even for a district;
        # LATERAL walks each organization's slice of the covering index instead.
        return (
            "CROSS JOIN LATERAL (SELECT mt.kind, mt.month_index, mt.given_by_secretary "
            "FROM meetings_meeting mt WHERE mt.organization_id = o.id AND mt.status = 'held' "
            "AND mt.month_index BETWEEN %s AND %s) mt"
        )
    return (
        "JOIN meetings_meeting mt ON mt.organization_id = o.id AND mt.status = 'held' "
        "AND mt.month_index BETWEEN %s AND %s"
    )


def _month_of(column):
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {column})::int * 12 + EXTRACT(MONTH FROM {column})::int - 1)"
    return f"(CAST(strftime('%%Y', {column}) AS INTEGER) * 12 + CAST(strftime('%%m', {column}) AS INTEGER) - 1)"


def _values(rules):
    rows = []
    for i, rule in enumerate(rules):
        if not rule.enabled:
            continue
        rows.append(
            f"({i}, '{rule.kind}', {int(rule.months)}, {int(rule.per_period)}, "
            f"'{rule.org_kind}', {int(rule.needs_committee)}, {int(rule.secretary_only)})"
        )
    return ", ".join(rows)


def _statement(include, exclude, rules, start, end, today):
    w0, w1, t = month_index(start), month_index(end), month_index(today)
    enabled = [r for r in rules if r.enabled]
    f0 = min(w0 // r.months * r.months for r in enabled) if enabled else w0
    f1 = max((w1 // r.months + 1) * r.months - 1 for r in enabled) if enabled else w1
    where = " OR ".join(["o.path LIKE %s"] * len(include))
    params = [p + "%" for p in include]
    if exclude:
        where = f"({where}) AND NOT ({' OR '.join(['o.path LIKE %s'] * len(exclude))})"
        params += [p + "%" for p in exclude]
    values = _values(rules) or "(-1, '', 1, 1, '', 0, 0)"
    pivot = ", ".join(
        f"MAX(CASE WHEN st.rule = {i} THEN st.status ELSE 0 END)" for i in range(len(RULES))
    )
    sql = _SQL.format(
        values=values,
        founded=_month_of("o.founded_on"),
        meetings=_meetings_of_o(),
        where=where,
        w0=w0,
        w1=w1,
        t=t,
        pivot=pivot,
    )
    return sql, [*params, f0, f1, today, f0, f1]


_SQL = """
WITH r(rule, kind, months, need, org_kind, needs_committee, secretary_only) AS (VALUES {values}),
o AS (
  SELECT o.id, o.kind, COALESCE({founded}, 0) AS founded,
         CASE WHEN EXISTS (SELECT 1 FROM orgs_committee c
                           WHERE c.organization_id = o.id AND c.status = 'current')
              THEN 1 ELSE 0 END AS has_committee
  FROM orgs_organization o
  WHERE ({where}) AND o.status = 'active'
    AND (o.kind IN ('branch', 'committee') OR (o.kind = 'group' AND o.member_count > 0))
),
b AS (
  SELECT o.id AS org, o.founded, r.rule, r.months, r.need,
         mt.month_index / r.months AS bucket, COUNT(*) AS n
  FROM o {meetings}
  JOIN r ON r.kind = mt.kind AND (r.secretary_only = 0 OR mt.given_by_secretary)
   AND mt.month_index / r.months BETWEEN {w0} / r.months AND {w1} / r.months
  GROUP BY o.id, o.founded, r.rule, r.months, r.need, mt.month_index / r.months
),
s AS (
  SELECT b.org, b.rule,
         SUM(CASE WHEN b.bucket >= (b.founded + b.months - 1) / b.months
                   AND b.bucket < {t} / b.months AND b.n >= b.need THEN 1 ELSE 0 END) AS met,
         MAX(CASE WHEN b.bucket = {t} / b.months AND b.n >= b.need THEN 1 ELSE 0 END) AS cur_met
  FROM b GROUP BY b.org, b.rule
),
x AS (
  SELECT o.id AS org, r.rule,
         CASE WHEN {w0} / r.months > (o.founded + r.months - 1) / r.months
              THEN {w0} / r.months ELSE (o.founded + r.months - 1) / r.months END AS b0,
         {w1} / r.months AS b1,
         {t} / r.months AS cur
  FROM o JOIN r ON r.org_kind = o.kind AND o.has_committee >= r.needs_committee
),
p AS (
  SELECT DISTINCT pi.organization_id AS org, r.rule
  FROM meetings_planitem pi
  JOIN o ON o.id = pi.organization_id
  JOIN r ON r.kind = pi.kind AND r.secretary_only = 0
  WHERE pi.due_on < %s AND pi.month_index BETWEEN %s AND %s
    AND pi.month_index / r.months = {t} / r.months
),
st AS (
  SELECT x.org, x.rule,
         CASE
           WHEN x.b0 > x.b1 THEN 0
           WHEN COALESCE(s.met, 0) < (CASE WHEN x.b1 < x.cur THEN x.b1 ELSE x.cur - 1 END) - x.b0 + 1
             THEN 4
           WHEN x.cur >= x.b0 AND x.cur <= x.b1 AND COALESCE(s.cur_met, 0) = 0
                AND p.org IS NOT NULL THEN 3
           WHEN x.cur >= x.b0 AND x.cur <= x.b1 AND COALESCE(s.cur_met, 0) = 0 THEN 2
           WHEN x.cur < x.b0 THEN 2
           ELSE 1
         END AS status
  FROM x
  LEFT JOIN s ON s.org = x.org AND s.rule = x.rule
  LEFT JOIN p ON p.org = x.org AND p.rule = x.rule
)
SELECT st.org, {pivot} FROM st GROUP BY st.org
"""
