"""What `make bench` measures: each operation as the app runs it, beside the bare SQL it needs.

"Raw" runs on a separate psycopg connection (client-side binding, as Django uses) with the
same parameters, and fetches every row, so the ratio is the cost of our code over the floor.
"""

import psycopg
from django.db.models import Max, Min
from django.http import QueryDict

from xianfeng.members.models import ACTIVE_STATUSES
from xianfeng.orgs.models import Organization, OrgKind

from .timing import compare

STATS_SQL = """
SELECT COALESCE(SUM(member_count), 0), COALESCE(SUM(full_member_count), 0),
       COALESCE(SUM(probationary_member_count), 0),
       COUNT(*) FILTER (WHERE kind = 'committee'), COUNT(*) FILTER (WHERE kind = 'general_branch'),
       COUNT(*) FILTER (WHERE kind = 'branch'), COUNT(*) FILTER (WHERE kind = 'group'),
       COUNT(*)
FROM orgs_organization WHERE path LIKE %s AND status = 'active'
"""
PAGE_SQL = """
SELECT m.*, o.* FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id
WHERE o.path LIKE %s AND m.status = ANY(%s) ORDER BY m.id {order} LIMIT 51
"""
TAGS_SQL = """
SELECT mt.member_id, t.* FROM members_member_tags mt JOIN members_membertag t ON t.id = mt.membertag_id
WHERE mt.member_id = ANY(%s)
"""
SEARCH_SQL = """
SELECT * FROM members_member WHERE name_initials LIKE %s OR name_pinyin LIKE %s
ORDER BY organization_id, id LIMIT 50
"""
ORG_ID_SQL = "SELECT path FROM orgs_organization WHERE id = %s"


class Raw:
    def __init__(self, url):
        self.conn = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor)

    def fetch(self, sql, params):
        with self.conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def targets(city):
    """The street, district and branch to measure: the biggest of each inside the city."""
    inside = Organization.objects.filter(path__startswith=city.path)
    district = inside.filter(depth=city.depth + 1).order_by("-numchild", "path").first()
    street = inside.filter(depth=city.depth + 2).order_by("-numchild", "path").first()
    branch = inside.filter(kind=OrgKind.BRANCH).order_by("-member_count", "path").first()
    return {"street": street, "district": district, "city": city, "branch": branch}


def stats_cases(raw, orgs, reps):
    from xianfeng.orgs.stats import subtree_stats

    for label in ("street", "district", "city"):
        org = orgs[label]
        yield compare(
            f"subtree stats · {label}",
            lambda org=org: subtree_stats(org),
            lambda org=org: raw.fetch(STATS_SQL, [org.path + "%"]),
            reps=reps,
            note=f"{org.name} ({org.numchild} children)",
        )


def raw_page(raw, org_id, last):
    (path,) = raw.fetch(ORG_ID_SQL, [org_id])[0]
    rows = raw.fetch(
        PAGE_SQL.format(order="DESC" if last else "ASC"),
        [path + "%", [str(s) for s in ACTIVE_STATUSES]],
    )
    raw.fetch(TAGS_SQL, [[r[0] for r in rows]])
    return rows


def list_cases(raw, orgs, client, admin, reps):
    from xianfeng.accounts.scoping import scope_members
    from xianfeng.members.filters import MemberFilter
    from xianfeng.members.keyset import keyset_page

    def queryset_page(params):
        filterset = MemberFilter(params, queryset=scope_members(admin))
        qs = filterset.qs.select_related("organization").prefetch_related("tags")
        return keyset_page(qs, params, 50).items

    for label in ("branch", "city"):
        org = orgs[label]
        for last in (False, True):
            params = {"org": str(org.pk), "status": "active"}
            if last:
                params["page"] = "last"
            name = f"{'last' if last else 'first'} page · {label}"
            query = QueryDict(mutable=True)
            query.update(params)
            yield compare(
                f"{name} (queryset)",
                lambda q=query: queryset_page(q),
                lambda pk=org.pk, last=last: raw_page(raw, pk, last),
                reps=reps,
                note=org.name,
            )
            if not page_works(client, query):
                continue
            yield compare(
                f"{name} (HTTP page)",
                lambda q=query: check(client.get("/members/", q)),
                lambda pk=org.pk, last=last: raw_page(raw, pk, last),
                reps=reps,
                note="whole request: middleware, session, template",
            )


def page_works(client, query):
    try:
        status = client.get("/members/", query).status_code
    except Exception as exc:  # the page is another app's; measure what does work
        print(f"  (skipped HTTP page: {type(exc).__name__}: {exc})")
        return False
    if status != 200:
        print(f"  (skipped HTTP page: status {status})")
    return status == 200


def check(response):
    if response.status_code != 200:
        raise SystemExit(f"members page answered {response.status_code}")
    return response


def search_cases(raw, admin, reps, term="zs"):
    from xianfeng.accounts.scoping import scope_members
    from xianfeng.members.search import search_q

    yield compare(
        f"pinyin initials search q={term} · city",
        lambda: list(scope_members(admin).filter(search_q(term))[:50]),
        lambda: raw.fetch(SEARCH_SQL, [term + "%", term + "%"]),
        reps=reps,
        note="scope_members(superuser) + search_q, 50 rows",
    )


def data_size(city):
    from xianfeng.members.models import Member

    inside = Organization.objects.filter(path__startswith=city.path)
    ids = Member.objects.aggregate(lo=Min("id"), hi=Max("id"))
    return {
        "organizations": inside.count(),
        "members": Member.objects.filter(organization__path__startswith=city.path).count(),
        "member id range": f"{ids['lo']}–{ids['hi']}",
    }
