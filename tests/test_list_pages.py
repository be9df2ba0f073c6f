"""Every list page shows 共 N 条 or a pager, and its second page works (issue 15 §2).

The pages come from the URL resolver through the page bench (bench.pages: a list page has no
parameter, or only its organization). A small generated city fills them; the page size is
shrunk to a few rows so that each list with rows has a second page to open."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from bench import pages
from xianfeng.core import lists

TOTAL = 'data-testid="total"'
PAGER = 'class="pager"'
NEXT = re.compile(r'href="([^"]*)"[^>]*>\s*(?:下一页|较早)|rel="next"')

# List-shaped URLs that do not render a list of rows (forms, dashboards, single records,
# fixed rule tables, charts, files, redirects), with the reason.
NOT_ROW_LISTS = {}


@pytest.fixture
def city(db):
    call_command("gen_city", members=600, orgs=40, stdout=StringIO())
    from xianfeng.orgs.models import Organization

    return pages.World.build(Organization.objects.get(code="GC0000001"))


def list_pages():
    return [p for p in pages.patterns() if p.kind == "page" and pages.is_list(p)]


def test_every_list_page_shows_a_total_or_a_pager(city, client, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    client.force_login(city.users["city"])
    report = []
    for p in list_pages():
        url = pages.build_url(p.route, pages.fill(p, city, "city"))
        resp = client.get(url)
        html = resp.status_code == 200 and resp.get("Content-Type", "").startswith("text/html")
        body = resp.content.decode() if html else ""
        shown = TOTAL in body or PAGER in body
        nxt = bool(NEXT.search(body))
        second = client.get(url + ("&" if "?" in url else "?") + "page=2").status_code
        report.append((p.label, resp.status_code, shown, nxt, second))
    for row in report:
        print(*row)
    assert 0
