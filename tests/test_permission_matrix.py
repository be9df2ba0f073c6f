"""Every URL × every role of the `world` fixture, allowed and denied, in one table.

The URL list comes from the resolver, so a new URL without a row fails
`test_every_url_has_a_row`. Statuses are written out per role, in ROLES order:

    302 = redirect to login (pages) · 401 = no credentials (API) · 403 = role lacks the
    permission everywhere · 404 = object outside the user's subtrees (or missing) ·
    405 = method not allowed · 400 = allowed, but the empty request body is invalid.

Objects: `branch` (北关社区党支部, in the street and in the branch grants), `member` (张三,
in that branch; the `member` login is linked to him), `committee`/`seat` on that branch,
`job` (an import job uploaded by street_admin), `user` (another observer login on the
branch, so deactivating it does not log out a role under test).
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from xianfeng.accounts.roles import Role
from xianfeng.archives.tests.factories import upload_scan
from xianfeng.assessment.tests.factories import rated
from xianfeng.cadres.services import add_reserve_cadre
from xianfeng.campaigns.tests.factories import matrix_objects as campaign_objects
from xianfeng.core.uploads import file_link
from xianfeng.development.tests.factories import start as start_development
from xianfeng.elections.tests.factories import election_objects
from xianfeng.enterprise.testing import make_enterprise
from xianfeng.excel.models import ExportJob, ExportKind, ImportJob, ImportKind, JobStatus
from xianfeng.grid.testing import matrix_grid_objects
from xianfeng.instructors.tests.factories import instructor_objects
from xianfeng.meetings import services as meeting_services
from xianfeng.meetings.rules import MeetingKind
from xianfeng.notices.models import Notice, NoticeKind
from xianfeng.orgs import services as org_services
from xianfeng.orgs.models import SeatPost
from xianfeng.points.tests.factories import matrix_objects
from xianfeng.standing.tests.factories import matrix_objects as standing_objects
from xianfeng.tasks.tests.factories import brand, task
from xianfeng.testing import make_user
from xianfeng.transfers.tests.factories import matrix_objects as transfer_objects
from xianfeng.venues.testing import matrix_objects as venue_objects

ROLES = (
    "anonymous",
    "admin",
    "street_admin",
    "committee_secretary",
    "branch_secretary",
    "org_officer",
    "grid_worker",
    "observer",
    "member",
    "outsider",
)

# Deliberately outside the matrix: Django's own admin (staff only, its own permission
# system), static/media file serving, and i18n's language switch (no data, no scope).
EXCLUDED_PREFIXES = ("django-admin/", "static/", "media/")
EXCLUDED_NAMES = {"set_language"}

# url name: (kwargs, statuses for GET)
#                                            anon adm st  cs  bs  oo  gw  ob  mem out
GET = {
    "core:home": ("", "302 200 200 200 200 200 200 200 200 200"),
    "core:healthz": ("", "200 200 200 200 200 200 200 200 200 200"),
    "core:search": ("", "302 200 200 200 200 200 200 200 200 200"),
    "core:suggest": ("", "302 400 400 400 400 400 400 400 400 400"),
    "core:file": ("token=file_token", "200 200 200 200 200 200 200 200 200 200"),
    "core:manifest": ("", "200 200 200 200 200 200 200 200 200 200"),
    "core:service_worker": ("", "200 200 200 200 200 200 200 200 200 200"),
    "core:offline": ("", "200 200 200 200 200 200 200 200 200 200"),
    "core:pwa_state": ("", "200 200 200 200 200 200 200 200 200 200"),
    "accounts:login": ("", "200 200 200 200 200 200 200 200 200 200"),
    "accounts:logout": ("", "405 405 405 405 405 405 405 405 405 405"),
    "accounts:password_change": ("", "302 200 200 200 200 200 200 200 200 200"),
    "accounts:password_changed": ("", "302 200 200 200 200 200 200 200 200 200"),
    "accounts:tokens": ("", "302 200 200 200 200 200 200 200 200 200"),
    "accounts:tokens_revoke": ("", "405 405 405 405 405 405 405 405 405 405"),
    "accounts:user_list": ("", "302 200 200 403 403 403 403 403 403 403"),
    "accounts:user_create": ("", "302 200 200 403 403 403 403 403 403 403"),
    "accounts:user_detail": ("pk=user", "302 200 200 403 403 403 403 403 403 403"),
    "accounts:grant_revoke": ("pk=user", "405 405 405 405 405 405 405 405 405 405"),
    "accounts:user_set_active": ("pk=user", "405 405 405 405 405 405 405 405 405 405"),
    "orgs:tree": ("", "302 200 200 200 200 200 200 200 403 200"),
    "orgs:terms": ("", "302 200 200 200 200 200 200 200 403 200"),
    "orgs:warnings": ("", "302 200 200 200 200 200 200 200 403 200"),
    "orgs:detail": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "orgs:children": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "orgs:create": ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    "orgs:edit": ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    "orgs:committee_start": ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    "orgs:move": ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    "orgs:merge": ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    "orgs:split": ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    "orgs:dissolve": ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    "orgs:size_exception": ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    "orgs:seat_add": ("pk=committee", "302 200 200 200 200 200 403 403 403 404"),
    "orgs:seat_end": ("pk=seat", "302 200 200 200 200 200 403 403 403 404"),
    "members:list": ("", "302 200 200 200 200 200 200 200 200 200"),
    "members:count": ("", "302 200 200 200 200 200 200 200 200 200"),
    "members:create": ("", "302 200 200 200 200 200 403 403 403 200"),
    "members:audit": ("", "302 200 200 200 403 403 403 403 403 403"),
    "members:detail": ("pk=member", "302 200 200 200 200 200 200 200 200 404"),
    "members:edit": ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    "members:reveal": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "members:status": ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    "members:confirm": ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    "members:tags": ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    "excel:home": ("", "302 200 200 200 403 200 403 403 403 403"),
    "excel:template": ("kind=members", "302 200 200 200 403 200 403 403 403 403"),
    "excel:upload": ("kind=members", "405 405 405 405 405 405 405 405 405 405"),
    "excel:job": ("pk=job", "302 200 200 404 403 404 403 403 403 403"),
    "excel:job_status": ("pk=job", "302 200 200 404 403 404 403 403 403 403"),
    "excel:confirm": ("pk=job", "405 405 405 405 405 405 405 405 405 405"),
    "excel:export_members": ("", "302 200 200 200 200 200 403 200 403 200"),
    "excel:export_orgs": ("", "302 200 200 200 200 200 403 200 403 200"),
    # Only the person who asked opens a background export (not even a superuser).
    "excel:export_job": ("pk=export", "302 404 200 404 404 404 403 404 403 404"),
    "excel:export_download": ("pk=export", "302 404 200 404 404 404 403 404 403 404"),
    "development:list": ("", "302 200 200 200 200 200 200 200 403 200"),
    "development:start": ("", "302 200 200 200 200 200 403 403 403 200"),
    "development:plan": ("", "302 200 200 200 200 200 200 200 403 200"),
    "development:rules": ("", "302 200 200 200 200 200 200 200 403 200"),
    "development:detail": ("pk=development", "302 200 200 200 200 200 200 200 403 404"),
    "development:record": ("pk=development", "302 302 302 302 302 302 403 403 403 404"),
    "development:report": ("pk=development", "405 405 405 405 405 405 405 405 405 405"),
    "development:review": ("pk=development", "405 405 405 405 405 405 405 405 405 405"),
    "development:probation": ("pk=development", "405 405 405 405 405 405 405 405 405 405"),
    "dues:home": ("", "302 200 200 200 200 200 200 200 403 200"),
    "dues:sheet": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "dues:bulk": ("pk=branch", "405 405 405 405 405 405 405 405 405 405"),
    "dues:ledger": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "dues:ledger_xlsx": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "dues:member": ("pk=member", "302 200 200 200 200 200 200 200 200 404"),
    "dues:basis": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "dues:pay": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "dues:voluntary": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "dues:exemption": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "tasks:board": ("", "302 200 200 200 200 200 200 200 403 200"),
    "tasks:timeline": ("", "302 200 200 200 200 200 200 200 403 200"),
    "tasks:export": ("", "302 200 200 200 200 200 200 200 403 200"),
    "tasks:create": ("", "302 200 200 200 403 200 403 403 403 403"),
    "tasks:detail": ("pk=task", "302 200 200 200 200 200 200 200 403 404"),
    "tasks:edit": ("pk=task", "302 200 200 200 403 200 403 403 403 403"),
    "tasks:report": ("pk=task", "405 405 405 405 405 405 405 405 405 405"),
    "tasks:milestone_done": ("pk=milestone", "405 405 405 405 405 405 405 405 405 405"),
    "tasks:brand_list": ("", "302 200 200 200 200 200 200 200 403 200"),
    "tasks:brand_create": ("", "302 200 200 200 200 200 403 403 403 200"),
    "tasks:brand_detail": ("pk=brand", "302 200 200 200 200 200 200 200 403 404"),
    "tasks:brand_status": ("pk=brand", "405 405 405 405 405 405 405 405 405 405"),
    "tasks:brand_key": ("pk=brand", "405 405 405 405 405 405 405 405 405 405"),
    "tasks:brand_milestone_done": ("pk=brand_step", "405 405 405 405 405 405 405 405 405 405"),
    # No evidence uploaded yet: whoever may look gets 404.
    "tasks:brand_evidence": ("pk=brand_step", "302 404 404 404 404 404 404 404 403 404"),
    "learning:home": ("", "302 200 200 200 200 200 200 200 200 200"),
    "learning:course": ("pk=course", "302 200 200 200 200 200 200 200 200 404"),
    # A text course has no file: whoever may open the course gets 404 for its media.
    "learning:media": ("pk=course", "302 404 404 404 404 404 404 404 404 404"),
    "learning:beat": ("pk=course", "405 405 405 405 405 405 405 405 405 405"),
    "learning:require": ("pk=course", "405 405 405 405 405 405 405 405 405 405"),
    "learning:manage": ("", "302 200 200 200 200 200 403 403 403 200"),
    "learning:bank": ("", "302 200 200 200 200 200 403 403 403 200"),
    "learning:bank_template": ("", "302 200 200 200 200 200 403 403 403 200"),
    "learning:quiz_create": ("", "405 405 405 405 405 405 405 405 405 405"),
    # Quizzes and results belong to a member: logins without one get 404.
    "learning:quiz": ("pk=quiz", "302 404 404 404 404 404 404 404 200 404"),
    "learning:result": ("pk=attempt", "302 404 404 404 404 404 404 404 200 404"),
    "learning:figures": ("", "302 200 200 200 200 200 200 200 403 200"),
    "service:projects": ("", "302 200 200 200 200 200 200 200 200 200"),
    "service:project_create": ("", "302 200 200 200 200 200 403 403 403 200"),
    "service:project": ("pk=project", "302 200 200 200 200 200 200 200 200 404"),
    "service:claim": ("pk=project", "405 405 405 405 405 405 405 405 405 405"),
    "service:claim_for": ("pk=project", "405 405 405 405 405 405 405 405 405 405"),
    "service:project_status": ("pk=project", "405 405 405 405 405 405 405 405 405 405"),
    "service:claim_withdraw": ("pk=project_claim", "405 405 405 405 405 405 405 405 405 405"),
    "service:claim_progress": ("pk=project_claim", "405 405 405 405 405 405 405 405 405 405"),
    "service:claim_done": ("pk=project_claim", "405 405 405 405 405 405 405 405 405 405"),
    "service:check_ins": ("", "302 200 200 200 200 200 200 200 403 200"),
    "service:check_in": ("pk=check_in", "302 200 200 200 200 200 200 200 403 404"),
    "service:units": ("", "302 200 200 200 200 200 200 200 403 200"),
    "service:studios": ("", "302 200 200 200 200 200 200 200 403 200"),
    "service:alliances": ("", "302 200 200 200 200 200 200 200 403 200"),
    "service:alliance": ("pk=alliance", "302 200 200 200 200 200 200 200 403 404"),
    "service:volunteers": ("", "302 200 200 200 200 200 200 200 403 200"),
    "service:certificate": ("pk=volunteer", "302 200 200 200 200 200 200 200 200 404"),
    "service:activities": ("", "302 200 200 200 200 200 200 200 200 200"),
    "service:activity": ("pk=activity", "302 200 200 200 200 200 200 200 200 404"),
    "service:sign_up": ("pk=activity", "405 405 405 405 405 405 405 405 405 405"),
    "service:signup_cancel": ("pk=signup", "405 405 405 405 405 405 405 405 405 405"),
    "service:sign_in": ("pk=signup", "405 405 405 405 405 405 405 405 405 405"),
    "api:tasks-list": ("", "401 200 200 200 200 200 200 200 403 200"),
    "api:tasks-detail": ("pk=task", "401 200 200 200 200 200 200 200 403 404"),
    "api:brands-list": ("", "401 200 200 200 200 200 200 200 403 200"),
    "api:brands-detail": ("pk=brand", "401 200 200 200 200 200 200 200 403 404"),
    "archives:home": ("", "302 200 200 200 200 200 200 200 403 200"),
    "archives:org": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "archives:member": ("pk=member", "302 200 200 200 200 200 200 200 200 404"),
    "archives:index": ("pk=member", "302 200 200 200 200 200 200 200 200 404"),
    "archives:upload": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "archives:path": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "archives:review": ("pk=item", "405 405 405 405 405 405 405 405 405 405"),
    "archives:file": ("pk=item", "302 200 200 200 200 200 200 200 200 404"),
    "cadres:list": ("", "302 200 200 200 200 200 200 200 403 200"),
    "cadres:add": ("", "302 200 200 200 403 200 403 403 403 403"),
    "cadres:export": ("", "302 200 200 200 200 200 403 200 403 200"),
    "cadres:detail": ("pk=cadre", "302 200 200 200 200 200 200 200 403 404"),
    "cadres:training": ("pk=cadre", "405 405 405 405 405 405 405 405 405 405"),
    "cadres:evaluation": ("pk=cadre", "405 405 405 405 405 405 405 405 405 405"),
    "cadres:status": ("pk=cadre", "405 405 405 405 405 405 405 405 405 405"),
    "assessment:home": ("", "302 200 200 200 200 200 403 200 403 200"),
    "assessment:standards": ("", "302 200 200 200 200 200 403 200 403 200"),
    "assessment:standards_install": ("", "405 405 405 405 405 405 405 405 405 405"),
    "assessment:rectifications": ("", "302 200 200 200 200 200 403 200 403 200"),
    "assessment:plan_status": ("pk=plan", "405 405 405 405 405 405 405 405 405 405"),
    "assessment:round": ("pk=branch", "302 200 200 200 200 200 403 200 403 404"),
    "assessment:evaluate": ("pk=branch", "405 405 405 405 405 405 405 405 405 405"),
    "assessment:publish": ("pk=branch", "405 405 405 405 405 405 405 405 405 405"),
    "assessment:wall": ("pk=branch", "302 200 200 200 200 200 403 200 403 404"),
    "assessment:scorecard": ("pk=branch", "302 200 200 200 200 200 403 200 403 404"),
    "assessment:review": ("pk=branch", "405 405 405 405 405 405 405 405 405 405"),
    "assessment:plaque": ("pk=branch", "302 200 200 200 200 200 403 200 403 404"),
    "assessment:plan_create": ("pk=branch", "405 405 405 405 405 405 405 405 405 405"),
    "assessment:members": ("pk=branch", "302 200 200 200 200 200 403 200 403 404"),
    "assessment:member_evaluate": ("pk=branch", "405 405 405 405 405 405 405 405 405 405"),
    "assessment:member_publish": ("pk=branch", "405 405 405 405 405 405 405 405 405 405"),
    "assessment:member_history": ("pk=member", "302 200 200 200 200 200 403 200 403 404"),
    "assessment:secretary_score": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "assessment:weights": ("", "302 200 200 200 200 200 403 200 403 200"),
    "api:star-ratings-list": ("", "401 200 200 200 200 200 403 200 403 200"),
    "api:star-ratings-detail": ("pk=rating", "401 200 200 200 200 200 403 200 403 404"),
    "api:member-assessments-list": ("", "401 200 200 200 200 200 403 200 403 200"),
    "api:member-assessments-detail": (
        "pk=member_assessment",
        "401 200 200 200 200 200 403 200 403 404",
    ),
    "requests:list": ("", "302 200 200 200 200 403 200 200 200 200"),
    "requests:create": ("", "302 200 200 200 200 403 200 403 403 200"),
    "requests:figures": ("", "302 200 200 200 200 403 200 200 403 200"),
    "requests:calendar": ("", "302 200 200 403 403 403 403 403 403 403"),
    "requests:calendar_import": ("", "302 200 200 403 403 403 403 403 403 403"),
    "requests:calendar_year": ("year=year", "302 200 200 403 403 403 403 403 403 403"),
    "requests:detail": ("pk=request", "302 200 200 200 200 403 200 200 404 404"),
    "requests:accept": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:ask": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:escalate": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:reject": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:arbitrate": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:call_in": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:call_in_done": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:call_in_link": (
        "pk=request,call_pk=call_in",
        "405 405 405 405 405 405 405 405 405 405",
    ),
    "requests:unit_task": ("token=unit_token", "200 200 200 200 200 200 200 200 200 200"),
    "requests:solve": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:close": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:public_intake": ("", "200 200 200 200 200 200 200 200 200 200"),
    "requests:find": ("", "200 200 200 200 200 200 200 200 200 200"),
    "requests:public_grid": ("grid_code=board", "200 200 200 200 200 200 200 200 200 200"),
    "requests:track": ("code=code,secret=secret", "200 200 200 200 200 200 200 200 200 200"),
    "requests:reply": ("code=code,secret=secret", "405 405 405 405 405 405 405 405 405 405"),
    "requests:rate": ("code=code,secret=secret", "405 405 405 405 405 405 405 405 405 405"),
    "requests:reopen": ("code=code,secret=secret", "405 405 405 405 405 405 405 405 405 405"),
    "open311:discovery": ("fmt=json", "200 200 200 200 200 200 200 200 200 200"),
    "open311:services": ("fmt=xml", "200 200 200 200 200 200 200 200 200 200"),
    "open311:service": ("fmt=json,code=service", "200 200 200 200 200 200 200 200 200 200"),
    "open311:requests": ("fmt=json", "200 200 200 200 200 200 200 200 200 200"),
    "open311:request": ("fmt=xml,request_id=code", "200 200 200 200 200 200 200 200 200 200"),
    "open311:token": ("fmt=json,token=code", "200 200 200 200 200 200 200 200 200 200"),
    "grid:home": ("", "302 200 200 200 200 200 200 200 403 200"),
    "grid:mine": ("", "302 200 200 200 200 200 200 200 200 200"),
    "grid:create_root": ("", "302 200 200 200 200 200 403 403 403 200"),
    "grid:org_figures": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "grid:detail": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:children": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:board": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:plates": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:figures": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:activities": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:create": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:edit": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:map": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:split": ("pk=grid", "302 302 302 302 302 302 302 403 403 404"),
    "grid:households_export": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:staff_add": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:central_add": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:zone_add": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:household_add": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:activity_add": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:staff_end": ("pk=grid_staff", "302 200 200 200 200 200 200 403 403 404"),
    "grid:central_end": ("pk=central", "405 405 405 405 405 405 405 405 405 405"),
    "grid:household": ("pk=household", "302 200 200 200 200 200 200 200 403 404"),
    "grid:household_edit": ("pk=household", "302 200 200 200 200 200 200 403 403 404"),
    "grid:visit_add": ("pk=household", "405 405 405 405 405 405 405 405 405 405"),
    "api:grids-list": ("", "401 200 200 200 200 200 200 200 403 200"),
    "api:grids-detail": ("pk=grid", "401 200 200 200 200 200 200 200 403 404"),
    "api:grids-children": ("pk=grid", "401 200 200 200 200 200 200 200 403 404"),
    "api:grids-chain": ("pk=grid", "401 200 200 200 200 200 200 200 403 404"),
    "transfers:list": ("", "302 200 200 200 200 200 403 200 200 200"),
    "transfers:start": ("", "302 200 200 200 200 200 403 403 403 200"),
    "transfers:request": ("", "302 403 403 403 403 403 403 403 200 403"),
    "transfers:inbound": ("", "302 200 200 200 200 200 403 403 403 200"),
    "transfers:detail": ("pk=transfer", "302 200 200 200 200 200 403 200 200 404"),
    "transfers:approve": ("pk=transfer", "405 405 405 405 405 405 405 405 405 405"),
    "transfers:reject": ("pk=transfer", "405 405 405 405 405 405 405 405 405 405"),
    "transfers:withdraw": ("pk=transfer", "405 405 405 405 405 405 405 405 405 405"),
    "transfers:accept": ("pk=transfer", "405 405 405 405 405 405 405 405 405 405"),
    "transfers:issue": ("pk=transfer", "405 405 405 405 405 405 405 405 405 405"),
    "transfers:receipt": ("pk=letter", "405 405 405 405 405 405 405 405 405 405"),
    "transfers:letter": ("pk=letter", "302 200 200 200 200 200 403 200 404 404"),
    "transfers:batch_start": ("", "302 200 200 200 200 200 403 403 403 200"),
    "transfers:batch": ("pk=batch", "302 200 200 200 200 200 403 200 403 404"),
    "transfers:batch_act": ("pk=batch", "405 405 405 405 405 405 405 405 405 405"),
    "standing:list": ("", "302 200 200 200 200 200 200 200 403 200"),
    "standing:case": ("pk=lapse", "302 200 200 200 200 200 200 200 403 404"),
    "standing:member": ("pk=lost", "302 200 200 200 200 200 200 200 403 404"),
    "transfers:mobile_list": ("", "302 200 200 200 200 200 200 200 403 200"),
    "transfers:mobile_create": ("", "302 200 200 200 200 200 403 403 403 200"),
    "transfers:mobile_edit": ("pk=mobile", "302 200 200 200 200 200 403 403 403 404"),
    "transfers:mobile_return": ("pk=mobile", "405 405 405 405 405 405 405 405 405 405"),
    "elections:list": ("", "302 200 200 200 200 200 200 200 403 200"),
    "elections:overview": ("", "302 200 200 200 200 200 200 200 403 200"),
    "elections:plan": ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    "elections:reschedule": ("pk=branch", "302 200 200 200 403 200 403 403 403 403"),
    "elections:detail": ("pk=election", "302 200 200 200 200 200 200 200 403 404"),
    "elections:nominate": ("pk=election", "405 405 405 405 405 405 405 405 405 405"),
    "elections:vote": ("pk=election", "302 200 200 200 200 200 403 403 403 404"),
    "elections:decide": ("pk=election", "405 405 405 405 405 405 405 405 405 405"),
    "elections:withdraw": ("pk=election", "405 405 405 405 405 405 405 405 405 405"),
    "instructors:list": ("", "302 200 200 200 403 200 403 403 403 403"),
    "instructors:appoint": ("", "302 200 200 200 403 200 403 403 403 403"),
    "instructors:supervision": ("", "302 200 200 200 403 200 403 403 403 403"),
    "instructors:windows": ("", "302 200 200 200 403 200 403 403 403 403"),
    "instructors:window": ("pk=window", "302 200 200 200 403 200 403 403 403 403"),
    "instructors:submit": ("pk=window", "405 405 405 405 405 405 405 405 405 405"),
    "instructors:meetings": ("", "302 200 200 200 403 200 403 403 403 403"),
    "instructors:detail": ("pk=instructor", "302 200 200 200 403 200 403 403 403 403"),
    "instructors:assign": ("pk=instructor", "405 405 405 405 405 405 405 405 405 405"),
    "instructors:visit": ("pk=instructor", "405 405 405 405 405 405 405 405 405 405"),
    "instructors:report": ("pk=instructor", "405 405 405 405 405 405 405 405 405 405"),
    "instructors:ledger": ("pk=instructor", "302 200 200 200 403 200 403 403 403 403"),
    "instructors:ledger_xlsx": ("pk=instructor", "302 200 200 200 403 200 403 403 403 403"),
    "instructors:unassign": ("pk=assignment", "405 405 405 405 405 405 405 405 405 405"),
    "meetings:list": ("", "302 200 200 200 200 200 200 200 403 200"),
    "meetings:create": ("", "302 302 302 302 302 302 403 403 403 302"),
    "meetings:mine": ("", "302 200 200 200 200 200 200 200 200 200"),
    "meetings:signin": ("token=token", "302 200 200 200 200 200 200 200 200 200"),
    "meetings:compliance": ("", "302 200 200 200 200 200 200 200 403 200"),
    "meetings:rules": ("", "302 200 200 200 200 200 200 200 403 200"),
    "meetings:detail": ("pk=meeting", "302 200 200 200 200 200 200 200 403 404"),
    "meetings:edit": ("pk=meeting", "302 200 200 200 200 200 403 403 403 404"),
    "meetings:attendance": ("pk=meeting", "405 405 405 405 405 405 405 405 405 405"),
    "meetings:attendees": ("pk=meeting", "405 405 405 405 405 405 405 405 405 405"),
    "meetings:minutes": ("pk=meeting", "405 405 405 405 405 405 405 405 405 405"),
    "meetings:notice": ("pk=meeting", "405 405 405 405 405 405 405 405 405 405"),
    "meetings:cancel": ("pk=meeting", "405 405 405 405 405 405 405 405 405 405"),
    "meetings:upload": ("pk=meeting", "405 405 405 405 405 405 405 405 405 405"),
    "meetings:qr": ("pk=meeting", "302 200 200 200 200 200 403 403 403 404"),
    "meetings:ledger": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "meetings:ledger_xlsx": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "meetings:reviews": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "meetings:plan": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "meetings:plan_copy": ("pk=branch", "405 405 405 405 405 405 405 405 405 405"),
    "api:meetings-list": ("", "401 200 200 200 200 200 200 200 403 200"),
    "api:meetings-detail": ("pk=meeting", "401 200 200 200 200 200 200 200 403 404"),
    # No `org` parameter: allowed roles get the 400 that asks for one.
    "api:meetings-compliance": ("", "401 400 400 400 400 400 400 400 403 400"),
    "points:home": ("", "302 200 200 200 200 200 200 200 403 200"),
    "points:rule_create": ("", "302 200 200 403 403 403 403 403 403 403"),
    "points:rule": ("pk=rule", "302 200 200 200 200 200 200 200 403 200"),
    "points:rule_edit": ("pk=rule", "302 200 200 403 403 403 403 403 403 403"),
    "points:ranking": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "points:board": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "points:close": ("pk=branch", "405 405 405 405 405 405 405 405 405 405"),
    "points:member": ("pk=member", "302 200 200 200 200 200 200 200 403 404"),
    "points:award": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "points:card": ("pk=member", "302 200 200 200 200 200 200 200 403 404"),
    "points:reverse": ("pk=event", "405 405 405 405 405 405 405 405 405 405"),
    "points:claims": ("", "302 200 200 200 200 200 403 403 403 200"),
    "points:claim_approve": ("pk=claim", "405 405 405 405 405 405 405 405 405 405"),
    "points:claim_reject": ("pk=claim", "405 405 405 405 405 405 405 405 405 405"),
    # The claim is 张三's own: he and the secretaries over him may open the evidence.
    "points:claim_evidence": ("pk=claim", "302 200 200 200 200 200 404 404 200 404"),
    "points:me": ("", "302 404 404 404 404 404 404 404 200 404"),
    "points:my_claim": ("", "405 405 405 405 405 405 405 405 405 405"),
    "points:my_card": ("", "302 404 404 404 404 404 404 404 200 404"),
    "points:scan": ("token=card", "302 200 200 200 200 200 403 403 403 404"),
    "api:points-ledger": ("pk=member", "401 200 200 200 200 200 200 200 403 404"),
    # Notices: every login has its own inbox; `notice` belongs to the member login.
    "notices:inbox": ("", "302 200 200 200 200 200 200 200 200 200"),
    # 大屏: roles holding screen.view (not branch secretaries, grid workers or members).
    "screen:home": ("", "302 200 200 200 403 200 403 200 403 403"),
    "screen:org": ("pk=branch", "302 200 200 200 403 200 403 200 403 403"),
    "screen:panel": ("pk=branch,code=members", "302 200 200 200 403 200 403 200 403 403"),
    "notices:read": ("pk=notice", "405 405 405 405 405 405 405 405 405 405"),
    "notices:read_all": ("", "405 405 405 405 405 405 405 405 405 405"),
    "notices:preferences": ("", "302 200 200 200 200 200 200 200 200 200"),
    "api:my-notices-list": ("", "401 200 200 200 200 200 200 200 200 200"),
    "api:my-notices-read": ("pk=notice", "401 405 405 405 405 405 405 405 405 405"),
    "api:my-notices-read-all": ("", "401 405 405 405 405 405 405 405 405 405"),
    "api:points-rankings": ("", "401 400 400 400 400 400 400 400 403 400"),
    "enterprise:list": ("", "302 200 200 200 200 403 200 200 403 200"),
    "enterprise:mine": ("", "302 200 200 200 200 200 200 200 200 200"),
    "enterprise:figures": ("", "302 200 200 200 200 403 200 200 403 200"),
    "enterprise:create": ("", "302 200 200 200 200 403 200 403 403 200"),
    "enterprise:detail": ("pk=enterprise", "302 200 200 200 200 403 200 200 403 404"),
    "enterprise:edit": ("pk=enterprise", "302 200 200 200 200 403 200 403 403 404"),
    "enterprise:intake": ("pk=enterprise", "302 200 200 200 200 403 200 403 403 404"),
    # 党群服务阵地 (venues) on the branch; the portal /m/ is public.
    "venues:list": ("", "302 200 200 200 200 200 200 200 403 200"),
    "venues:detail": ("pk=venue", "302 200 200 200 200 200 200 200 403 404"),
    "venues:edit": ("pk=venue", "302 200 200 200 200 200 403 403 403 404"),
    "venues:room_add": ("pk=venue", "405 405 405 405 405 405 405 405 405 405"),
    "venues:duty_add": ("pk=venue", "405 405 405 405 405 405 405 405 405 405"),
    "venues:photo_add": ("pk=venue", "405 405 405 405 405 405 405 405 405 405"),
    "venues:book": ("pk=venue", "405 405 405 405 405 405 405 405 405 405"),
    "venues:photo": ("pk=venue_photo", "302 200 200 200 200 200 200 200 403 404"),
    "venues:bookings": ("", "302 200 200 200 200 200 200 200 403 200"),
    "venues:booking": ("pk=room_booking", "302 200 200 200 200 200 200 200 403 404"),
    "venues:booking_decide": ("pk=room_booking", "405 405 405 405 405 405 405 405 405 405"),
    "venues:booking_cancel": ("pk=room_booking", "405 405 405 405 405 405 405 405 405 405"),
    "venues:booking_check_in": ("pk=room_booking", "405 405 405 405 405 405 405 405 405 405"),
    "venues:activities": ("", "302 200 200 200 200 200 200 200 200 200"),
    "venues:activity": ("pk=venue_activity", "302 200 200 200 200 200 200 200 200 404"),
    "venues:activity_qr": ("pk=venue_activity", "302 200 200 200 200 200 403 403 403 404"),
    "venues:sign_up": ("pk=venue_activity", "405 405 405 405 405 405 405 405 405 405"),
    "venues:signup_cancel": ("pk=venue_signup", "405 405 405 405 405 405 405 405 405 405"),
    "venues:signup_check_in": ("pk=venue_signup", "405 405 405 405 405 405 405 405 405 405"),
    "venues:circle": ("", "302 200 200 200 200 200 200 200 403 200"),
    "portal:home": ("", "200 200 200 200 200 200 200 200 200 200"),
    "portal:text": ("", "302 302 302 302 302 302 302 302 302 302"),
    "portal:community": ("code=board", "200 200 200 200 200 200 200 200 200 200"),
    "portal:venue": ("pk=venue", "200 200 200 200 200 200 200 200 200 200"),
    "portal:activity": ("pk=venue_activity", "200 200 200 200 200 200 200 200 200 200"),
    "portal:check_in": ("token=activity_token", "200 200 200 200 200 200 200 200 200 200"),
    "portal:booking": ("token=booking_token", "200 200 200 200 200 200 200 200 200 200"),
    "portal:phone": ("", "200 200 200 200 200 200 200 200 200 200"),
    "portal:sign_out": ("", "405 405 405 405 405 405 405 405 405 405"),
    # 我的 needs a verified phone: everyone is sent to verify one first.
    "portal:me": ("", "302 302 302 302 302 302 302 302 302 302"),
    "portal:signup_cancel": ("pk=venue_signup", "405 405 405 405 405 405 405 405 405 405"),
    "portal:circle": ("", "200 200 200 200 200 200 200 200 200 200"),
    "portal:volunteer": ("", "200 200 200 200 200 200 200 200 200 200"),
    "api:token": ("", "405 405 405 405 405 405 405 405 405 405"),
    "api:me-todo": ("", "401 200 200 200 200 200 200 200 200 200"),
    "api:own_tokens": ("", "401 200 200 200 200 200 200 200 200 200"),
    "api:orgs-list": ("", "401 200 200 200 200 200 200 200 403 200"),
    "api:orgs-detail": ("pk=branch", "401 200 200 200 200 200 200 200 403 404"),
    "api:orgs-children": ("pk=branch", "401 200 200 200 200 200 200 200 403 404"),
    "api:orgs-stats": ("pk=branch", "401 200 200 200 200 200 200 200 403 404"),
    "api:members-list": ("", "401 200 200 200 200 200 200 200 200 200"),
    "api:members-detail": ("pk=member", "401 200 200 200 200 200 200 200 200 404"),
    "api:members-reveal": ("pk=member", "401 405 405 405 405 405 405 405 403 405"),
    "api:transfers-list": ("", "401 200 200 200 200 200 403 200 403 200"),
    "api:transfers-detail": ("pk=transfer", "401 200 200 200 200 200 403 200 403 404"),
    "api:transfers-approve": ("pk=transfer", "401 405 405 405 405 405 403 405 403 405"),
    "api:transfers-reject": ("pk=transfer", "401 405 405 405 405 405 403 405 403 405"),
    "api:transfers-withdraw": ("pk=transfer", "401 405 405 405 405 405 403 405 403 405"),
    "api:transfers-accept": ("pk=transfer", "401 405 405 405 405 405 403 405 403 405"),
    "api:instructor-visits-list": ("", "401 200 200 200 403 200 403 403 403 403"),
    # Campaigns API: like the pages; households for any login (a 包户 cadre without grants
    # reaches the ones given to them — the `member` login's).
    "api:campaigns-list": ("", "401 200 200 200 200 200 200 200 403 200"),
    "api:campaigns-detail": ("pk=campaign", "401 200 200 200 404 200 404 200 403 404"),
    "api:campaigns-board": ("pk=campaign", "401 200 200 200 404 200 404 200 403 404"),
    "api:campaign-cases-list": ("", "401 200 200 200 200 200 200 200 200 200"),
    "api:campaign-cases-detail": ("pk=case", "401 200 200 200 404 200 404 200 200 404"),
    "api:campaign-cases-stage": ("pk=case", "401 405 405 405 405 405 405 405 405 405"),
    "api:campaign-cases-visits": ("pk=case", "401 405 405 405 405 405 405 405 405 405"),
    "api:campaign-cases-assign": ("pk=case", "401 405 405 405 405 405 405 405 405 405"),
    "api:campaign-cases-reveal": ("pk=case", "401 405 405 405 405 405 405 405 405 405"),
    "api-schema": ("", "200 200 200 200 200 200 200 200 200 200"),
    "api-docs": ("", "200 200 200 200 200 200 200 200 200 200"),
    "api-redoc": ("", "200 200 200 200 200 200 200 200 200 200"),
    # Campaigns: a 回迁 of the street run by its temporary branch (the branch secretary's
    # grant is on another branch: 404); the `member` login is the household's 包户 cadre.
    "campaigns:list": ("", "302 200 200 200 200 200 200 200 403 200"),
    "campaigns:create": ("", "302 200 200 200 403 200 403 403 403 403"),
    "campaigns:mine": ("", "302 200 200 200 200 200 200 200 200 200"),
    "campaigns:detail": ("pk=campaign", "302 200 200 200 404 200 404 200 403 404"),
    "campaigns:close": ("pk=campaign", "302 405 405 405 405 405 405 405 403 405"),
    "campaigns:cases": ("pk=campaign", "302 200 200 200 404 200 404 200 403 404"),
    "campaigns:ledger": ("pk=campaign", "302 200 200 200 404 200 404 200 403 404"),
    "campaigns:dispatch": ("pk=campaign", "302 200 200 200 404 200 404 200 403 404"),
    "campaigns:review": ("pk=campaign", "302 200 200 200 404 200 404 200 403 404"),
    "campaigns:allocation": ("pk=campaign", "302 200 200 200 404 200 404 200 403 404"),
    "campaigns:publish": ("pk=campaign", "302 405 405 405 405 405 405 405 403 405"),
    "campaigns:notices": ("pk=campaign", "302 200 200 200 404 200 404 200 403 404"),
    "campaigns:import": ("pk=campaign", "302 200 200 200 403 200 403 403 403 403"),
    "campaigns:case": ("pk=case", "302 200 200 200 404 200 404 200 200 404"),
    "campaigns:case_edit": ("pk=case", "302 200 200 200 404 200 404 403 200 404"),
    "campaigns:case_reveal": ("pk=case", "302 405 405 405 405 405 405 405 405 405"),
    "campaigns:case_stage": ("pk=case", "302 405 405 405 405 405 405 405 405 405"),
    "campaigns:case_visit": ("pk=case", "302 405 405 405 405 405 405 405 405 405"),
    "campaigns:case_document": ("pk=case", "302 405 405 405 405 405 405 405 405 405"),
    "campaigns:case_assign": ("pk=case", "302 405 405 405 405 405 403 403 403 405"),
    "campaigns:choose": ("pk=case", "302 405 405 405 405 405 403 403 403 405"),
    "campaigns:assignment_done": ("pk=campaign_task", "302 405 405 405 405 405 405 405 405 405"),
}

# Writes, each with an empty body: what matters is who gets past the permission check.
#                                                       anon adm st  cs  bs  oo  gw  ob  mem out
WRITE = {
    ("POST", "notices:read"): ("pk=notice", "302 404 404 404 404 404 404 404 302 404"),
    ("POST", "notices:read_all"): ("", "302 302 302 302 302 302 302 302 302 302"),
    ("POST", "notices:preferences"): ("", "302 302 302 302 302 302 302 302 302 302"),
    ("POST", "accounts:login"): ("", "200 200 200 200 200 200 200 200 200 200"),
    ("POST", "accounts:logout"): ("", "302 302 302 302 302 302 302 302 302 302"),
    ("POST", "accounts:password_change"): ("", "302 200 200 200 200 200 200 200 200 200"),
    ("POST", "accounts:tokens_revoke"): ("", "302 302 302 302 302 302 302 302 302 302"),
    ("POST", "accounts:user_create"): ("", "302 200 200 403 403 403 403 403 403 403"),
    # No `grant` in the body: the grant lookup answers 404 once the permission check passed.
    ("POST", "accounts:grant_revoke"): ("pk=user", "302 404 404 403 403 403 403 403 403 403"),
    ("POST", "accounts:user_set_active"): ("pk=user", "302 302 302 403 403 403 403 403 403 403"),
    ("POST", "orgs:create"): ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "orgs:edit"): ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "orgs:committee_start"): ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "orgs:move"): ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    ("POST", "orgs:merge"): ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    ("POST", "orgs:split"): ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    ("POST", "orgs:dissolve"): ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    ("POST", "orgs:size_exception"): ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    ("POST", "orgs:seat_add"): ("pk=committee", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "orgs:seat_end"): ("pk=seat", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "members:create"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "members:edit"): ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "members:reveal"): ("pk=member", "302 302 302 302 302 302 403 403 302 404"),
    ("POST", "members:status"): ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "members:confirm"): ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "members:tags"): ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "excel:upload"): ("kind=members", "302 302 302 302 403 302 403 403 403 403"),
    # The matrix's job is not in preview: the owner (and the superuser) get a message.
    ("POST", "excel:confirm"): ("pk=job", "302 302 302 404 403 404 403 403 403 403"),
    ("POST", "development:start"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "development:plan"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "development:record"): ("pk=development", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "development:report"): ("pk=development", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "development:review"): ("pk=development", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "development:probation"): (
        "pk=development",
        "302 200 200 200 200 200 403 403 403 404",
    ),
    # Invalid body: the form error is shown on the page the POST came from.
    ("POST", "dues:bulk"): ("pk=branch", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "dues:basis"): ("pk=member", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "dues:pay"): ("pk=member", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "dues:voluntary"): ("pk=member", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "dues:exemption"): ("pk=member", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "tasks:create"): ("", "302 200 200 200 403 200 403 403 403 403"),
    ("POST", "tasks:edit"): ("pk=task", "302 200 200 200 403 200 403 403 403 403"),
    ("POST", "tasks:report"): ("pk=task", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "tasks:milestone_done"): ("pk=milestone", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "tasks:brand_create"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "tasks:brand_status"): ("pk=brand", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "tasks:brand_key"): ("pk=brand", "302 302 302 302 403 302 403 403 403 403"),
    ("POST", "tasks:brand_milestone_done"): (
        "pk=brand_step",
        "302 302 302 302 302 302 403 403 403 404",
    ),
    ("POST", "learning:beat"): ("pk=course", "302 404 404 404 404 404 404 404 200 404"),
    ("POST", "learning:require"): ("pk=course", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "learning:manage"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "learning:bank"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "learning:quiz_create"): ("", "302 302 302 302 302 302 403 403 403 302"),
    ("POST", "learning:quiz"): ("pk=quiz", "302 404 404 404 404 404 404 404 302 404"),
    ("POST", "service:project_create"): ("", "302 200 200 200 200 200 403 403 403 200"),
    # Only a login linked to a member claims for itself (the member already holds a claim:
    # the refusal is a message on the project page).
    ("POST", "service:claim"): ("pk=project", "302 404 404 404 404 404 404 404 302 404"),
    ("POST", "service:claim_for"): ("pk=project", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "service:project_status"): ("pk=project", "302 302 302 302 302 302 403 403 403 404"),
    # The claimer member or the project's managers; other logins get 404.
    ("POST", "service:claim_withdraw"): (
        "pk=project_claim",
        "302 302 302 302 302 302 404 404 302 404",
    ),
    ("POST", "service:claim_progress"): (
        "pk=project_claim",
        "302 302 302 302 302 302 404 404 302 404",
    ),
    ("POST", "service:claim_done"): ("pk=project_claim", "302 302 302 302 302 302 404 404 302 404"),
    ("POST", "service:check_ins"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "service:check_in"): ("pk=check_in", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "service:units"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "service:studios"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "service:alliance"): ("pk=alliance", "302 200 200 200 403 200 403 403 403 404"),
    ("POST", "service:volunteers"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "service:activities"): ("", "302 200 200 200 200 200 403 403 403 200"),
    # Anyone who sees the activity may try; without a volunteer record it is a message.
    ("POST", "service:sign_up"): ("pk=activity", "302 302 302 302 302 302 302 302 302 404"),
    ("POST", "service:signup_cancel"): ("pk=signup", "302 302 302 302 302 302 404 404 302 404"),
    ("POST", "service:sign_in"): ("pk=signup", "302 302 302 302 302 302 404 404 302 404"),
    # Invalid upload: the member's archive page is shown again with the form error (400).
    ("POST", "archives:upload"): ("pk=member", "302 400 400 400 400 400 403 403 403 404"),
    ("POST", "archives:path"): ("pk=member", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "archives:review"): ("pk=item", "302 302 302 302 403 302 403 403 403 403"),
    ("POST", "cadres:add"): ("", "302 200 200 200 403 200 403 403 403 403"),
    ("POST", "cadres:training"): ("pk=cadre", "302 400 400 400 403 400 403 403 403 403"),
    ("POST", "cadres:evaluation"): ("pk=cadre", "302 400 400 400 403 400 403 403 403 403"),
    ("POST", "cadres:status"): ("pk=cadre", "302 400 400 400 403 400 403 403 403 403"),
    # Standards and weights are set from a tree root only (the superuser in this world);
    # reviewers score from above, so the branch secretary may not review their own branch.
    ("POST", "assessment:standards_install"): ("", "302 302 403 403 403 403 403 403 403 403"),
    ("POST", "assessment:plan_status"): ("pk=plan", "302 302 302 302 403 403 403 403 403 403"),
    ("POST", "assessment:evaluate"): ("pk=branch", "302 302 302 302 403 403 403 403 403 403"),
    ("POST", "assessment:publish"): ("pk=branch", "302 302 302 302 403 403 403 403 403 403"),
    ("POST", "assessment:review"): ("pk=branch", "302 302 302 302 403 302 403 403 403 404"),
    ("POST", "assessment:plan_create"): ("pk=branch", "302 302 302 302 403 403 403 403 403 403"),
    ("POST", "assessment:member_evaluate"): (
        "pk=branch",
        "302 302 302 302 302 302 403 403 403 404",
    ),
    ("POST", "assessment:member_publish"): ("pk=branch", "302 302 302 302 403 403 403 403 403 403"),
    ("POST", "assessment:secretary_score"): (
        "pk=member",
        "302 302 302 302 302 302 403 403 403 404",
    ),
    ("POST", "assessment:weights"): ("", "302 200 403 403 403 403 403 403 403 403"),
    # Requests: an empty body is refused with a message on the request page (302); the first
    # allowed role's accept succeeds, later ones are told it is taken — both redirect.
    ("POST", "requests:create"): ("", "302 200 200 200 200 403 200 403 403 200"),
    ("POST", "requests:calendar_import"): ("", "302 200 200 403 403 403 403 403 403 403"),
    ("POST", "requests:calendar_year"): ("year=year", "302 200 200 403 403 403 403 403 403 403"),
    ("POST", "requests:accept"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:ask"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:escalate"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:reject"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:solve"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:close"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:call_in_done"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:arbitrate"): ("pk=request", "302 302 302 302 403 403 403 403 403 403"),
    ("POST", "requests:call_in"): ("pk=request", "302 302 302 302 403 403 403 403 403 403"),
    ("POST", "requests:call_in_link"): (
        "pk=request,call_pk=call_in",
        "302 302 302 302 403 403 403 403 403 403",
    ),
    ("POST", "requests:unit_task"): ("token=unit_token", "400 400 400 400 400 400 400 400 400 400"),
    ("POST", "requests:public_intake"): ("", "200 200 200 200 200 200 200 200 200 200"),
    ("POST", "requests:find"): ("", "200 200 200 200 200 200 200 200 200 200"),
    ("POST", "requests:public_grid"): (
        "grid_code=board",
        "200 200 200 200 200 200 200 200 200 200",
    ),
    ("POST", "requests:reply"): (
        "code=code,secret=secret",
        "302 302 302 302 302 302 302 302 302 302",
    ),
    ("POST", "requests:rate"): (
        "code=code,secret=secret",
        "302 302 302 302 302 302 302 302 302 302",
    ),
    ("POST", "requests:reopen"): (
        "code=code,secret=secret",
        "302 302 302 302 302 302 302 302 302 302",
    ),
    # Open311: creating a request needs an api_key (403 without one), whoever is logged in.
    ("POST", "open311:requests"): ("fmt=json", "403 403 403 403 403 403 403 403 403 403"),
    # Grid forms: an empty body re-renders the form with its errors (200).
    ("POST", "grid:create_root"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "grid:create"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:edit"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:map"): ("pk=grid", "302 302 302 302 302 302 302 403 403 404"),
    ("POST", "grid:staff_add"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:central_add"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:zone_add"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:household_add"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:activity_add"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:staff_end"): ("pk=grid_staff", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:household_edit"): ("pk=household", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:central_end"): ("pk=central", "302 302 302 302 302 302 302 403 403 404"),
    ("POST", "grid:visit_add"): ("pk=household", "302 302 302 302 302 302 302 403 403 404"),
    # Transfers: one world per URL, roles in order, so after the first successful action the
    # transfer has moved on and later roles get the refusal as a message (302) or a 400.
    ("POST", "transfers:start"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "transfers:request"): ("", "302 403 403 403 403 403 403 403 200 403"),
    ("POST", "transfers:inbound"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "transfers:approve"): ("pk=transfer", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "transfers:reject"): ("pk=transfer", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "transfers:withdraw"): ("pk=transfer", "302 302 302 302 302 302 403 302 302 404"),
    ("POST", "transfers:accept"): ("pk=transfer", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "transfers:issue"): ("pk=transfer", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "transfers:receipt"): ("pk=letter", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "transfers:batch_start"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "transfers:batch_act"): ("pk=batch", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "standing:case"): ("pk=lapse", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "standing:member"): ("pk=lost", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "transfers:mobile_create"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "transfers:mobile_edit"): ("pk=mobile", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "transfers:mobile_return"): ("pk=mobile", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "api:transfers-approve"): ("pk=transfer", "401 200 400 400 400 400 403 403 403 404"),
    ("POST", "api:transfers-reject"): ("pk=transfer", "401 400 400 400 400 400 403 403 403 404"),
    ("POST", "api:transfers-withdraw"): ("pk=transfer", "401 200 400 400 400 400 403 403 403 404"),
    ("POST", "api:transfers-accept"): ("pk=transfer", "401 400 400 400 400 400 403 403 403 404"),
    # Invalid body: the form error is shown on the page (200); the approval needs
    # election.approve, which branch-level roles do not hold.
    ("POST", "elections:plan"): ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "elections:nominate"): ("pk=election", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "elections:vote"): ("pk=election", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "elections:decide"): ("pk=election", "302 200 200 200 403 200 403 403 403 403"),
    # No `nomination` in the body: its lookup answers 404 once the election was found.
    ("POST", "elections:withdraw"): ("pk=election", "302 404 404 404 404 404 403 403 403 404"),
    ("POST", "instructors:appoint"): ("", "302 200 200 200 403 200 403 403 403 403"),
    ("POST", "instructors:windows"): ("", "302 200 200 200 403 200 403 403 403 403"),
    ("POST", "instructors:meetings"): ("", "302 200 200 200 403 200 403 403 403 403"),
    # No `instructor` in the body and no instructor record of one's own: 404.
    ("POST", "instructors:submit"): ("pk=window", "302 404 404 404 403 404 403 403 403 403"),
    ("POST", "instructors:assign"): ("pk=instructor", "302 200 200 200 403 200 403 403 403 403"),
    ("POST", "instructors:visit"): ("pk=instructor", "302 200 200 200 403 200 403 403 403 403"),
    ("POST", "instructors:report"): ("pk=instructor", "302 200 200 200 403 200 403 403 403 403"),
    # The first manager ends the assignment; the next ones are told it has ended (redirect).
    ("POST", "instructors:unassign"): (
        "pk=assignment",
        "302 302 302 302 403 302 403 403 403 403",
    ),
    # No organization chosen: back to the list with a message.
    ("POST", "meetings:create"): ("", "302 302 302 302 302 302 403 403 403 302"),
    ("POST", "meetings:edit"): ("pk=meeting", "302 200 200 200 200 200 403 403 403 404"),
    # Invalid or empty bodies: the refusal is shown on the meeting page the POST came from.
    ("POST", "meetings:attendance"): ("pk=meeting", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "meetings:attendees"): ("pk=meeting", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "meetings:minutes"): ("pk=meeting", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "meetings:notice"): ("pk=meeting", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "meetings:cancel"): ("pk=meeting", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "meetings:upload"): ("pk=meeting", "302 302 302 302 302 302 403 403 403 404"),
    # Only the invited member (张三, during the sign-in window) signs in and is redirected;
    # logins without a member record see the refusal on the page.
    ("POST", "meetings:signin"): ("token=token", "302 200 200 200 200 200 200 200 302 200"),
    ("POST", "meetings:reviews"): ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "meetings:plan"): ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "meetings:plan_copy"): ("pk=branch", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "points:rule_create"): ("", "302 200 200 403 403 403 403 403 403 403"),
    ("POST", "points:rule_edit"): ("pk=rule", "302 200 200 403 403 403 403 403 403 403"),
    # Invalid bodies: the refusal is a message on the page the POST came from.
    ("POST", "points:close"): ("pk=branch", "302 302 302 403 403 403 403 403 403 403"),
    ("POST", "points:award"): ("pk=member", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "points:reverse"): ("pk=event", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "points:claim_approve"): ("pk=claim", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "points:claim_reject"): ("pk=claim", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "points:my_claim"): ("", "302 404 404 404 404 404 404 404 302 404"),
    # Enterprise forms: an empty body re-renders the form with its errors (200).
    ("POST", "enterprise:create"): ("", "302 200 200 200 200 403 200 403 403 200"),
    ("POST", "enterprise:edit"): ("pk=enterprise", "302 200 200 200 200 403 200 403 403 404"),
    ("POST", "enterprise:intake"): ("pk=enterprise", "302 200 200 200 200 403 200 403 403 404"),
    # Venues: an empty body is a form error on the page (200) or a message (302).
    ("POST", "venues:list"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "venues:edit"): ("pk=venue", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "venues:room_add"): ("pk=venue", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "venues:duty_add"): ("pk=venue", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "venues:photo_add"): ("pk=venue", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "venues:book"): ("pk=venue", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "venues:booking_decide"): (
        "pk=room_booking",
        "302 302 302 302 302 302 302 302 403 404",
    ),
    ("POST", "venues:booking_cancel"): (
        "pk=room_booking",
        "302 302 302 302 302 302 302 302 403 404",
    ),
    ("POST", "venues:booking_check_in"): (
        "pk=room_booking",
        "302 302 302 302 302 302 302 302 403 404",
    ),
    ("POST", "venues:activities"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "venues:sign_up"): (
        "pk=venue_activity",
        "302 302 302 302 302 302 302 302 302 404",
    ),
    # A resident's sign-up: only the organizers may cancel it or check it in.
    ("POST", "venues:signup_cancel"): (
        "pk=venue_signup",
        "302 302 302 302 302 302 404 404 404 404",
    ),
    ("POST", "venues:signup_check_in"): (
        "pk=venue_signup",
        "302 302 302 302 302 302 404 404 404 404",
    ),
    ("POST", "portal:phone"): ("", "200 200 200 200 200 200 200 200 200 200"),
    ("POST", "portal:sign_out"): ("", "302 302 302 302 302 302 302 302 302 302"),
    ("POST", "portal:me"): ("", "302 302 302 302 302 302 302 302 302 302"),
    ("POST", "portal:signup_cancel"): (
        "pk=venue_signup",
        "404 404 404 404 404 404 404 404 404 404",
    ),
    ("POST", "portal:activity"): (
        "pk=venue_activity",
        "302 302 302 302 302 302 302 302 200 302",
    ),
    ("POST", "portal:venue"): ("pk=venue", "302 302 302 302 302 302 302 302 302 302"),
    ("POST", "portal:booking"): (
        "token=booking_token",
        "302 302 302 302 302 302 302 302 302 302",
    ),
    ("POST", "portal:check_in"): (
        "token=activity_token",
        "200 200 200 200 200 200 200 200 200 200",
    ),
    ("POST", "portal:volunteer"): ("", "302 302 302 302 302 302 302 302 302 302"),
    ("POST", "api:token"): ("", "400 400 400 400 400 400 400 400 400 400"),
    ("DELETE", "api:own_tokens"): ("", "401 204 204 204 204 204 204 204 204 204"),
    ("POST", "api:orgs-list"): ("", "401 400 400 400 400 400 403 403 403 400"),
    ("PATCH", "api:orgs-detail"): ("pk=branch", "401 200 200 200 200 200 403 403 403 404"),
    ("POST", "api:members-list"): ("", "401 400 400 400 400 400 403 403 403 400"),
    # An update without `version` is refused: the stale-edit check cannot be skipped.
    ("PATCH", "api:members-detail"): ("pk=member", "401 400 400 400 400 400 403 403 403 404"),
    ("POST", "api:members-reveal"): ("pk=member", "401 400 400 400 400 400 403 403 400 404"),
    ("POST", "api:instructor-visits-list"): ("", "401 400 400 400 403 400 403 403 403 403"),
    # Campaigns API: an edit without `version` is refused; an empty assignment clears class,
    # group and 包户; revealing needs 查看完整身份证号和手机号 over the campaign.
    ("PATCH", "api:campaign-cases-detail"): ("pk=case", "401 400 400 400 404 400 404 403 400 404"),
    ("POST", "api:campaign-cases-stage"): ("pk=case", "401 400 400 400 404 400 404 403 400 404"),
    ("POST", "api:campaign-cases-visits"): ("pk=case", "401 400 400 400 404 400 404 403 400 404"),
    # (the admin's empty assignment took the household from the 包户 `member`: 404 for him)
    ("POST", "api:campaign-cases-assign"): ("pk=case", "401 200 200 200 404 200 404 403 404 404"),
    ("POST", "api:campaign-cases-reveal"): ("pk=case", "401 400 400 400 404 400 404 403 403 404"),
    # Campaigns: empty bodies re-render with errors (200/400) or return with a message (302;
    # an empty assignment form clears class, group and 包户);
    # the observer sees the campaign but may not change it (403).
    ("POST", "campaigns:create"): ("", "302 200 200 200 403 200 403 403 403 403"),
    ("POST", "campaigns:close"): ("pk=campaign", "302 302 302 302 404 302 404 403 403 404"),
    ("POST", "campaigns:dispatch"): ("pk=campaign", "302 200 200 200 404 200 404 403 403 404"),
    ("POST", "campaigns:allocation"): ("pk=campaign", "302 200 200 200 404 200 404 403 403 404"),
    ("POST", "campaigns:publish"): ("pk=campaign", "302 302 302 302 404 302 404 403 403 404"),
    ("POST", "campaigns:notices"): ("pk=campaign", "302 200 200 200 404 200 404 403 403 404"),
    ("POST", "campaigns:import"): ("pk=campaign", "302 200 200 200 403 200 403 403 403 403"),
    ("POST", "campaigns:case_edit"): ("pk=case", "302 400 400 400 404 400 404 403 400 404"),
    ("POST", "campaigns:case_reveal"): ("pk=case", "302 400 400 400 404 400 404 403 403 404"),
    ("POST", "campaigns:case_stage"): ("pk=case", "302 400 400 400 404 400 404 403 400 404"),
    ("POST", "campaigns:case_visit"): ("pk=case", "302 400 400 400 404 400 404 403 400 404"),
    ("POST", "campaigns:case_document"): ("pk=case", "302 400 400 400 404 400 404 403 400 404"),
    ("POST", "campaigns:case_assign"): ("pk=case", "302 302 302 302 404 302 403 403 403 404"),
    ("POST", "campaigns:choose"): ("pk=case", "302 302 302 302 404 302 403 403 403 404"),
    ("POST", "campaigns:assignment_done"): (
        "pk=campaign_task",
        "302 302 302 302 302 302 404 404 404 404",
    ),
}


def url_names(patterns=None, prefix="", namespace=""):
    """Every URL pattern of the project as (qualified name or route, route)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from url_names(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name])) if entry.name else route
            yield name, route


def project_urls():
    return sorted(
        {
            name
            for name, route in url_names()
            if not route.startswith(EXCLUDED_PREFIXES) and name not in EXCLUDED_NAMES
        }
    )


def expected(statuses):
    codes = [int(code) for code in statuses.split()]
    assert len(codes) == len(ROLES), statuses
    return dict(zip(ROLES, codes, strict=True))


def test_every_url_has_a_row():
    missing = [name for name in project_urls() if name not in GET]
    assert not missing, f"URLs without a row in the permission matrix: {missing}"


def test_every_row_is_a_url():
    stale = set(GET) - set(project_urls()) | {name for _, name in WRITE} - set(GET)
    assert not stale, f"rows for URLs that no longer exist: {sorted(stale)}"


@pytest.fixture
def objects(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    branch = world.branch
    committee = org_services.start_committee(
        branch, elected_on=timezone.localdate(), actor=world.users["admin"]
    )
    seat = org_services.assign_seat(
        committee,
        world.member,
        SeatPost.SECRETARY,
        started_on=timezone.localdate(),
        actor=world.users["admin"],
    )
    meeting = meeting_services.create_meeting(
        branch,
        kind=MeetingKind.THEME_DAY,
        topic="主题党日",
        starts_at=timezone.now() + timedelta(minutes=30),
        actor=world.users["admin"],
    )
    job = ImportJob.objects.create(
        kind=ImportKind.MEMBERS, file="imports/x.xlsx", created_by=world.users["street_admin"]
    )
    export = ExportJob.objects.create(
        kind=ExportKind.MEMBERS,
        created_by=world.users["street_admin"],
        status=JobStatus.DONE,
        expires_at=timezone.now() + timedelta(hours=1),
        finished_at=timezone.now(),
    )
    export.file.save("members.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    scan = upload_scan(world.member, actor=world.users["admin"])
    own = {
        "branch": branch.pk,
        "member": world.member.pk,
        "committee": committee.pk,
        "seat": seat.pk,
        "job": job.pk,
        "export": export.pk,
        "development": start_development(world).pk,
        "item": scan.pk,
        # A signed file link is the capability a scoped page handed out: it opens for anyone.
        "file_token": file_link(scan.file).split("/")[-2],
        "cadre": add_reserve_cadre(
            branch,
            world.member,
            intended_post="村委委员",
            entered_on=timezone.localdate(),
            actor=world.users["admin"],
        ).pk,
        "user": make_user("target", role=Role.OBSERVER, org=branch).pk,
        "meeting": meeting.pk,
        "token": meeting_services.signin_token(meeting),
        "members": "members",
        "notice": Notice.objects.create(
            recipient=world.users["member"], kind=NoticeKind.MEETING, title="会议通知"
        ).pk,
    }
    return merged(
        own,
        task_objects(world),
        learning_objects(world),
        service_objects(world),
        election_objects(world),
        instructor_objects(world),
        matrix_grid_objects(world),
        rated(world),
        _request_objects(world),
        matrix_objects(world),
        standing_objects(world),
        campaign_objects(world),
        venue_objects(world),
        transfer_objects(world),  # last: it moves members out of the branch
    )


def merged(*parts):
    """One dict of every app's objects; two apps naming different objects alike is an error."""
    result = {}
    for part in parts:
        clash = result.keys() & part.keys()
        assert not clash, f"object names used twice in the matrix fixture: {sorted(clash)}"
        result.update(part)
    return result


def task_objects(world):
    today = timezone.localdate()
    t = task(
        world,
        starts_on=today - timedelta(days=30),
        due_on=today + timedelta(days=30),
        milestones=[("节点", today)],
    )
    plan = brand(world, milestones=[("挂牌", today)])
    return {
        "task": t.pk,
        "milestone": t.milestones.get().pk,
        "brand": plan.pk,
        "brand_step": plan.milestones.get().pk,
    }


def learning_objects(world):
    from xianfeng.learning import services
    from xianfeng.learning.tests.factories import course, questions, quiz

    questions(world, 3, org=world.branch)
    qz = quiz(world, org=world.branch)
    attempt = services.submit_attempt(services.start_attempt(qz, world.member), {})
    return {"course": course(world, org=world.branch).pk, "quiz": qz.pk, "attempt": attempt.pk}


def service_objects(world):
    from xianfeng.service import services, volunteering
    from xianfeng.service.models import Alliance
    from xianfeng.service.tests.factories import project, unit

    p = project(world, slots=2)
    claim = services.claim_project(p, actor=None, member=world.member)
    check_in = services.register_check_in(
        world.branch, actor=None, unit=unit(), registered_on=timezone.localdate()
    )
    alliance = Alliance.objects.create(
        organization=world.street, name="联合体", kind="regional", founded_on=timezone.localdate()
    )
    now = timezone.now()
    volunteer = volunteering.register_volunteer(
        world.branch,
        actor=None,
        name="张三",
        phone="13900000000",
        registered_on=now.date(),
        member=world.member,
    )
    activity = volunteering.publish_activity(
        world.branch,
        actor=None,
        title="清洁家园",
        place="社区",
        capacity=3,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
    )
    signup = volunteering.sign_up(activity, volunteer, actor=None)
    return {
        "project": p.pk,
        "project_claim": claim.pk,
        "check_in": check_in.pk,
        "alliance": alliance.pk,
        "volunteer": volunteer.pk,
        "activity": activity.pk,
        "signup": signup.pk,
        "enterprise": make_enterprise(world.branch).pk,
    }


def _request_objects(world):
    from xianfeng.grid.testing import make_grid
    from xianfeng.resident_requests.testing import make_category, make_request

    board = make_grid("北关社区", kind="community", code="BOARD1", organization=world.branch)
    from xianfeng.resident_requests import units
    from xianfeng.resident_requests.models import CallIn

    req = make_request(organization=world.branch, category=make_category(code="lamp"))
    call_in = CallIn.objects.create(
        request=req, unit_name="区城管局", task="清理", due=req.finish_due + timedelta(days=1)
    )
    units.start_link(call_in)
    return {
        "request": req.pk,
        "call_in": call_in.pk,
        "unit_token": units.token_for(call_in),
        "code": req.tracking_code,
        "secret": req.secret,
        "board": board.code,
        "service": "lamp",
        "json": "json",
        "xml": "xml",
        "year": 2027,
    }


def resolve(name, spec, objects):
    kwargs = {}
    for item in filter(None, spec.split(",")):
        key, ref = item.split("=")
        kwargs[key] = objects[ref]
    return reverse(name, kwargs=kwargs)


def status_as(world, role, method, url, name):
    cache.clear()  # login throttling counters
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    if method == "GET":
        return client.get(url).status_code
    api = name.startswith("api:")
    content_type = "application/json" if api else "application/x-www-form-urlencoded"
    return client.generic(method, url, "", content_type=content_type).status_code


CASES = [("GET", name) for name in sorted(GET)] + sorted(WRITE)


@pytest.mark.parametrize(("method", "name"), CASES)
def test_matrix(world, objects, method, name):
    """One URL as every role; all mismatches reported together."""
    spec, statuses = GET[name] if method == "GET" else WRITE[(method, name)]
    url = resolve(name, spec, objects)
    actual = {role: status_as(world, role, method, url, name) for role in ROLES}
    wrong = {r: f"{actual[r]} (want {w})" for r, w in expected(statuses).items() if actual[r] != w}
    assert not wrong, f"{method} {url}: {wrong}"
