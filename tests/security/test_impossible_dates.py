"""Issue 13 §6: well-formed but impossible dates answer 400 (or are ignored), never 500.

Every GET URL of the permission matrix is asked, as the administrator, with each date-like
query parameter set to impossible values. Open311 has its own tests (resident_requests).
"""

import pytest
from django.test import Client

from tests.test_permission_matrix import GET, objects, resolve  # noqa: F401  (fixture)

PARAMS = (
    "on", "date", "day", "month", "period", "year", "start", "end", "since", "until", "from",
    "to", "due", "date_from", "date_to", "started_on", "done_on", "joined_on", "birth_date",
    "held_on", "starts_at", "created_after", "created_before",
)  # fmt: skip
IMPOSSIBLE = ("2026-02-30", "2026-13", "2026-13-01", "0000-01-01", "99999", "2026-Q5", "2026-00")


@pytest.mark.parametrize("value", IMPOSSIBLE)
def test_no_page_or_api_answers_500_to_an_impossible_date(world, objects, value):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(world.users["admin"])
    query = {param: value for param in PARAMS}
    broken = {}
    for name, (spec, _statuses) in GET.items():
        if name.startswith("requests:open311"):
            continue
        url = resolve(name, spec, objects)
        status = client.get(url, query).status_code
        if status >= 500:
            broken[name] = status
    assert not broken, f"{value}: {broken}"
