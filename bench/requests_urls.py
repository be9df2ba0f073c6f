"""The intake benchmark's yardsticks beside the project's URLs.

`hello`: the least a Django view can answer. `floor`: the same CSRF-checked POST storing one
request with one raw INSERT and redirecting — the SQL intake cannot do without.
"""

import secrets
import uuid

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import include, path

FLOOR_INSERT = """
INSERT INTO resident_requests_residentrequest (tracking_code, secret, idempotency_key,
  description, attributes, channel, address, resident_name, resident_phone, status, level,
  level_code, level_label, owner_name, checklist, respond_due, finish_due, next_due,
  calendar_warning, escalation_count, rating_comment, created_at, updated_at, category_id,
  grid_id, organization_id, routed_at)
SELECT %s, %s, %s, %s, '{}', 'public', '', '', '', 'new', 0, '', '', '', '[]',
  now() + interval '1 day', now() + interval '7 days', now() + interval '1 day', '', 0, '',
  now(), now(), %s, g.id, g.scope_org_id, now()
FROM grid_grid g WHERE g.code = %s
"""


def hello(request):
    return HttpResponse("hello")


def floor(request, grid_code):
    if request.method != "POST":
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')
    with connection.cursor() as cursor:
        cursor.execute(
            FLOOR_INSERT,
            [
                secrets.token_hex(5).upper(),
                secrets.token_urlsafe(16),
                f"floor:{uuid.uuid4().hex}",
                request.POST["description"],
                int(request.POST["category"]),
                grid_code,
            ],
        )
    return HttpResponseRedirect("/")


urlpatterns = [
    path("bench/hello/", hello),
    path("bench/floor/<str:grid_code>/", floor),
    path("", include("xianfeng.urls")),
]
