"""Issue 13 §5: the pages still work under the Content-Security-Policy — htmx, ECharts, the
inline (nonced) scripts and the former inline handlers — with no violation reported."""

import pytest
from django.urls import reverse

from xianfeng.testing import browser_log_in, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_pages_run_under_the_csp_without_violations(live_server, live_world, page_factory):
    page = page_factory()
    violations = []
    page.on(
        "console",
        lambda msg: (
            violations.append(page.url + ": " + msg.text[:60])
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    browser_log_in(page, live_server.url, "street_admin")
    for url in (
        reverse("orgs:tree"),
        reverse("orgs:detail", args=[live_world.branch.pk]),
        reverse("requests:public_intake"),
        reverse("api-docs"),
        reverse("accounts:tokens"),
    ):
        response = page.goto(live_server.url + url)
        assert "Content-Security-Policy" in response.headers or "content-security-policy" in (
            response.headers
        )
        page.wait_for_load_state("networkidle")
    # htmx under the CSP: the tree's toggle loads the children.
    page.goto(live_server.url + reverse("orgs:tree"))
    tree = page.locator("#org-tree")
    tree.locator("li", has_text="北坦街道党工委").locator("button.toggle").first.click()
    tree.get_by_text("北关社区党支部").wait_for()
    # A former onclick=window.print(): the handler now comes from static/js/actions.js.
    page.goto(live_server.url + reverse("dues:ledger", args=[live_world.branch.pk]))
    page.evaluate("window.__printed = 0; window.print = () => { window.__printed += 1; }")
    page.locator("[data-print]").first.click()
    assert page.evaluate("window.__printed") >= 1
    assert not violations, violations
