"""The big screen: scoping, the screen login, panels in a fixed number of queries, masking."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xianfeng.accounts.roles import Role
from xianfeng.assessment.models import Stage
from xianfeng.assessment.tests.factories import rated
from xianfeng.grid.testing import make_grid
from xianfeng.resident_requests.testing import make_request
from xianfeng.screen.models import MonthlyFigure
from xianfeng.screen.panels import PANELS, At, screen_panel
from xianfeng.screen.panels.requests import mask_name
from xianfeng.screen.services import record_month_figures
from xianfeng.tasks.tests.factories import task
from xianfeng.testing import make_member, make_org, make_user

SQUARE = [[117.0, 36.6], [117.01, 36.6], [117.01, 36.61], [117.0, 36.61], [117.0, 36.6]]


def square(dx):
    return {"type": "Polygon", "coordinates": [[[x + dx, y] for x, y in SQUARE]]}


@pytest.fixture
def wall(world):
    return make_user("wall", role=Role.SCREEN, org=world.street)


def test_screen_opens_on_the_users_top_organization(world, login):
    page = login(world.users["observer"]).get(reverse("screen:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.street.name in html
    for panel in PANELS.values():
        assert str(panel.title) in html
    assert 'hx-trigger="every' in html


def test_another_streets_screen_is_404(world, login, wall):
    client = login(wall)
    assert client.get(reverse("screen:org", args=[world.street.pk])).status_code == 200
    assert client.get(reverse("screen:org", args=[world.branch.pk])).status_code == 200
    assert client.get(reverse("screen:org", args=[world.other_street.pk])).status_code == 404
    assert client.get(reverse("screen:org", args=[world.district.pk])).status_code == 404
    url = reverse("screen:panel", args=[world.other_street.pk, "requests"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("screen:panel", args=[world.street.pk, "nope"])).status_code == 404


def test_the_wall_login_sees_only_the_screen(world, login, wall):
    client = login(wall)
    for name in ("orgs:tree", "requests:list", "points:home", "meetings:list", "tasks:board"):
        assert client.get(reverse(name)).status_code == 403, name
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("screen:home") in home
    page = client.get(reverse("screen:home")).content.decode()
    # Panels link to their pages only for logins that may open them: none for the wall.
    assert reverse("requests:figures") not in page
    assert reverse("orgs:detail", args=[world.street.pk]) not in page


def test_the_wall_login_lands_on_the_screen(world, client, wall, password):
    response = client.post(reverse("accounts:login"), {"username": "wall", "password": password})
    assert response.status_code == 302 and response.url == reverse("screen:home")
    response = client.post(
        reverse("accounts:login"), {"username": "observer", "password": password}
    )
    assert response.url == reverse("core:home")


def test_the_menu_shows_the_screen_to_whoever_may_open_it(world, login):
    link = f'href="{reverse("screen:home")}"'
    assert link in login(world.users["observer"]).get(reverse("core:home")).content.decode()
    home = login(world.users["branch_secretary"]).get(reverse("core:home")).content.decode()
    assert link not in home


def test_roles_without_the_screen_get_403(world, login):
    for role in ("branch_secretary", "grid_worker", "member"):
        assert login(world.users[role]).get(reverse("screen:home")).status_code == 403


def test_panels_link_to_their_pages_for_those_who_may_open_them(world, login):
    page = login(world.users["street_admin"]).get(reverse("screen:home")).content.decode()
    assert reverse("requests:figures") + f"?org={world.street.pk}" in page
    assert reverse("orgs:detail", args=[world.street.pk]) in page


def test_one_panel_refreshes_alone(world, login):
    client = login(world.users["street_admin"])
    url = reverse("screen:panel", args=[world.street.pk, "requests"]) + "?refresh=5"
    part = client.get(url).content.decode()
    assert part.startswith('<article class="panel panel-requests"')
    assert 'hx-trigger="every 5s"' in part and "<html" not in part


def test_feed_masks_names_and_shows_no_phone(world, login):
    make_request(organization=world.branch, resident_name="王小明", resident_phone="13812345678")
    part = (
        login(world.users["street_admin"])
        .get(reverse("screen:panel", args=[world.street.pk, "feed"]))
        .content.decode()
    )
    assert "王**" in part
    assert "王小明" not in part and "13812345678" not in part and "5678" not in part


def test_mask_name():
    assert mask_name("王小明") == "王**"
    assert mask_name("李") == "李*"
    assert mask_name("") == "—"


def test_requests_panel_counts_from_the_rollup(world):
    make_request(organization=world.branch)
    make_request(organization=world.branch2)
    make_request(organization=world.other_branch)
    now = timezone.now()
    data = PANELS["requests"].fn(world.street, At(timezone.localdate(now), now))
    assert data["today"] == 2 and data["open"] == 2 and data["overdue"] == 0
    later = now + timedelta(days=30)
    assert PANELS["requests"].fn(world.street, At(timezone.localdate(later), later))["overdue"] == 2


def test_map_colours_grids_by_open_and_overdue_requests(world):
    community = make_grid("北关社区", organization=world.branch, geometry=square(0))
    make_grid("北坦社区", organization=world.branch2, geometry=square(0.02))
    inner = make_grid("一网格", parent=community)
    make_request(organization=world.branch, grid=inner)
    now = timezone.now()
    data = PANELS["map"].fn(world.street, At(timezone.localdate(now), now))
    tones = {s["name"]: (s["tone"], s["open"]) for s in data["shapes"]}
    assert tones == {"北关社区": ("open", 1), "北坦社区": ("calm", 0)}
    later = now + timedelta(days=30)
    data = PANELS["map"].fn(world.street, At(timezone.localdate(later), later))
    assert {s["name"]: s["tone"] for s in data["shapes"]}["北关社区"] == "overdue"
    assert all(s["d"].startswith("M") for s in data["shapes"])


def test_stars_show_published_ratings_and_the_weak_list(world):
    objects = rated(world)
    now = timezone.now()
    at = At(timezone.localdate(now), now)
    assert PANELS["stars"].fn(world.street, at)["year"] is None  # a draft round is not shown
    from xianfeng.assessment.models import Round

    Round.objects.update(stage=Stage.PUBLISHED)
    data = PANELS["stars"].fn(world.street, at)
    assert data["rated"] == 1 and data["weak"] == [world.branch.name]
    assert PANELS["stars"].fn(world.other_street, at)["rated"] == 0
    assert objects


def test_trend_reads_the_monthly_rows(world):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=15)
    assert record_month_figures(last_month, orgs=[world.street]) == 1
    make_member(world.branch, "新党员")
    now = timezone.now()
    chart = PANELS["members"].fn(world.street, At(today, now))["chart"]
    assert chart["series"][0]["data"] == [5, 6]
    record_month_figures(last_month, orgs=[world.street])  # idempotent per month
    assert MonthlyFigure.objects.count() == 1


def test_tracked_orgs_are_the_committees(world):
    record_month_figures(date(2026, 1, 31))
    names = set(MonthlyFigure.objects.values_list("organization__name", flat=True))
    assert names == {world.district.name, world.street.name, world.other_street.name}


def test_a_default_panel_gives_way_to_the_real_one():
    saved = dict(PANELS)
    try:
        screen_panel("campaigns", title="真", template="x.html")(lambda org, at: {"real": 1})
        screen_panel("campaigns", title="占位", template="y.html", default=True)(lambda o, a: {})
        assert PANELS["campaigns"].title == "真"
    finally:
        PANELS.clear()
        PANELS.update(saved)


def _grow(world, n):
    """n more branches under the street, each with members, requests, a grid and a task."""
    today = timezone.localdate()
    for i in range(n):
        branch = make_org(f"扩展支部{i}", parent=world.street)
        for j in range(3):
            make_member(branch, f"扩{i}员{j}")
        grid = make_grid(f"扩展网格{i}", organization=branch, geometry=square(0.05 + i * 0.02))
        make_request(organization=branch, grid=grid, resident_name=f"居民{i}")
        make_request(organization=branch, resident_name=f"居民{i}b")
        task(
            world,
            org=branch,
            title=f"任务{i}",
            starts_on=today - timedelta(days=10),
            due_on=today + timedelta(days=20),
        )


def _queries(org, code):
    now = timezone.now()
    at = At(timezone.localdate(now), now)
    with CaptureQueriesContext(connection) as ctx:
        PANELS[code].fn(org, at)
    return len(ctx)


def test_every_panel_costs_the_same_queries_whatever_the_data(world):
    rated(world)
    _grow(world, 1)  # one of everything (no task at all saves the milestones' prefetch)
    first = _queries(world.street, "meetings")  # counts the quarter and keeps it for the day
    before = {code: _queries(world.street, code) for code in PANELS}
    _grow(world, 6)
    after = {code: _queries(world.street, code) for code in PANELS}
    assert before == after
    assert max(after.values()) <= 5, after
    # The rollup panels: today and this year in one statement, open and overdue in one.
    assert after["requests"] == 2 and after["map"] == 2
    assert after["meetings"] == 1 < first


def test_requests_panel_reads_no_request_rows_but_todays_deadlines(world):
    make_request(organization=world.branch)
    now = timezone.now()
    with CaptureQueriesContext(connection) as ctx:
        PANELS["requests"].fn(world.street, At(timezone.localdate(now), now))
    sql = [q["sql"] for q in ctx.captured_queries]
    assert "resident_requests_requestrollup" in sql[0] and "residentrequest" not in sql[0]
    # the one live part: requests due since midnight, on request_next_due_idx
    assert "resident_requests_requestnow" in sql[1] and "next_due" in sql[1]


def test_overdue_counts_the_past_days_and_todays_passed_deadlines(world):
    """Stored per deadline day, and only today's passed deadlines read live: the figure is
    the same as a count of next_due <= now at any moment."""
    from xianfeng.resident_requests.models import ResidentRequest

    now = timezone.now()
    reqs = [make_request(organization=world.branch) for _ in range(4)]
    for req, hours in zip(reqs, (-50, -2, 3, 30), strict=True):
        req.next_due = now + timedelta(hours=hours)
        req.save()
    for shift in (0, 1, 4, 29, 31, 24 * 40):
        moment = now + timedelta(hours=shift)
        data = PANELS["requests"].fn(world.street, At(timezone.localdate(moment), moment))
        expected = ResidentRequest.objects.filter(next_due__lte=moment).count()
        assert (data["open"], data["overdue"]) == (4, expected), shift


def test_meetings_panel_keeps_the_quarter_for_the_day_until_a_meeting_is_written(world):
    from xianfeng.meetings.compliance import compliance
    from xianfeng.meetings.models import ComplianceSummary
    from xianfeng.meetings.rules import MeetingKind
    from xianfeng.meetings.tests.factories import meeting
    from xianfeng.screen.panels.orgs import quarter_of

    now = timezone.now()
    at = At(timezone.localdate(now), now)
    start, end, _q = quarter_of(at.today)

    def fresh(org):
        result = compliance([org], start, end, at.today)
        share = result.share_compliant()
        return None if share is None else round(100 * share)

    data = PANELS["meetings"].fn(world.street, at)
    assert data["share"] == fresh(world.street) and data["bound"]
    assert _queries(world.street, "meetings") == 1
    PANELS["meetings"].fn(world.other_street, at)
    assert ComplianceSummary.objects.count() == 2
    # A meeting held in a branch forgets the branch's ancestors' counts, not other streets'.
    meeting(world.branch, MeetingKind.GENERAL_ASSEMBLY, at.today)
    assert list(ComplianceSummary.objects.values_list("organization", flat=True)) == [
        world.other_street.pk
    ]
    again = PANELS["meetings"].fn(world.street, at)
    assert again["share"] == fresh(world.street)
    assert again["rows"] != data["rows"]
    # Another day counts again.
    later = At(at.today + timedelta(days=1), now + timedelta(days=1))
    if quarter_of(later.today) == (start, end, _q):
        assert _queries(world.street, "meetings") == 1
        with CaptureQueriesContext(connection) as ctx:
            PANELS["meetings"].fn(world.street, later)
        assert len(ctx) > 1


def test_the_whole_screen_costs_the_same_queries_whatever_the_data(world, login):
    _grow(world, 1)
    client = login(world.users["street_admin"])
    url = reverse("screen:org", args=[world.street.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 6)
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).status_code == 200
    assert len(small) == len(big)


def test_campaigns_panel_shows_the_streets_campaigns_in_progress(world):
    from xianfeng.campaigns.tests.factories import campaign, case

    mine = campaign(world, name="东辛村拆迁")
    case(mine)
    campaign(world, name="别的街道专项", street=world.other_street)
    now = timezone.now()
    data = PANELS["campaigns"].fn(world.street, At(timezone.localdate(now), now))
    assert [c["name"] for c in data["campaigns"]] == ["东辛村拆迁"]
    assert data["campaigns"][0]["total"] == 1 and data["more"] == 0
