"""The page bench (issue 19 §2): every GET URL pattern, through gunicorn, as three roles.

`python -m bench --pages [--small]` walks the resolver (every page, every API list and
detail, the admin), fills each pattern's ids from the generated city, and requests it over
loopback HTTP through gunicorn (a few workers) on PostgreSQL as

  city    the city administrator (街道管理员 role granted on the city committee),
  street  a street administrator (the same role on one street),
  branch  a branch secretary (支部书记 on one branch of that street).

The admin site is requested by a superuser only. Ids come from inside the branch, so every
role may see them; a pattern that takes an organization gets each role's own organization
(the city, the street, the branch), so a list page's city÷branch ratio compares the same
page over 100,000 members and over one branch.

A pattern is filled by FILLERS, keyed by the route up to its first parameter: a model label
(the first row of that model inside the branch, else inside the city) or a function. A new
URL without a filler fails tests/test_bench_pages.py; one whose filler finds no row is a MISS.
"""

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

ROLES = ("city", "street", "branch")
PAGE_P95_MS = 300
API_P95_MS = 150
LIST_RATIO = 1.5
TIMEOUT = 60  # seconds; gunicorn's worker timeout is the same, a slower page is a 599
EXPORT_TYPES = ("spreadsheet", "csv", "officedocument", "pdf")


# ---------------------------------------------------------------- the resolver


@dataclass
class Pattern:
    route: str  # the full route, e.g. "orgs/<int:pk>/" or "api/v1/^orgs/(?P<pk>[^/]+)/$"
    name: str
    params: list = field(default_factory=list)

    @property
    def key(self):
        """The route up to and including its first parameter (the FILLERS key)."""
        m = PARAM.search(self.route)
        return self.route[: m.end()] if m else self.route

    @property
    def label(self):
        return self.route or "/"

    @property
    def kind(self):
        if self.route.startswith("django-admin/"):
            return "admin"
        if self.route.startswith(("api/v1/", "open311/")):
            return "api"
        return "page"


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>([^)]*)\)")


def patterns():
    """Every URL pattern of the project, in resolver order."""
    from django.urls import URLResolver, get_resolver

    def walk(resolver, prefix, namespace):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}{p.namespace}:"
                yield from walk(p, prefix + str(p.pattern), ns)
            else:
                route = prefix + str(p.pattern)
                params = [m.group(2) or m.group(3) for m in PARAM.finditer(route)]
                yield Pattern(route, f"{namespace}{p.name or ''}", params)

    return list(walk(get_resolver(), "", ""))


def build_url(route, values):
    """The path for `route` with its parameters replaced by `values` (a dict by name)."""

    def sub(m):
        return str(values[m.group(2) or m.group(3)])

    path = PARAM.sub(sub, route)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\", "")
    return "/" + path


# ---------------------------------------------------------------- the world


class World:
    """The objects of the generated city that the fillers draw from."""

    def __init__(self, city, street, branch, users):
        self.city, self.street, self.branch, self.users = city, street, branch, users
        self.orgs = {"city": city, "street": street, "branch": branch, "admin": city}
        self._cache = {}

    @classmethod
    def build(cls, city):
        """The first street of the city and its biggest branch; the three role logins."""
        from django.db.models import Count

        from xianfeng.accounts.models import RoleGrant, User
        from xianfeng.accounts.roles import Role
        from xianfeng.orgs.models import Organization, OrgKind

        street = (
            Organization.objects.filter(path__startswith=city.path, depth=city.depth + 2)
            .order_by("path")
            .first()
        )
        branch = (
            Organization.objects.filter(path__startswith=street.path, kind=OrgKind.BRANCH)
            .annotate(n=Count("members"))
            .order_by("-n", "path")
            .first()
        )
        secretary = branch.members.order_by("pk").first()
        users = {}
        for role, org, grant in (
            ("city", city, Role.STREET_ADMIN),
            ("street", street, Role.STREET_ADMIN),
            ("branch", branch, Role.BRANCH_SECRETARY),
        ):
            user, _ = User.objects.get_or_create(
                username=f"bench-{role}", defaults={"display_name": f"基准{role}"}
            )
            if role == "branch" and user.member_id != secretary.pk:
                User.objects.filter(member=secretary).exclude(pk=user.pk).update(member=None)
                user.member = secretary
                user.save(update_fields=["member"])
            RoleGrant.objects.get_or_create(user=user, organization=org, role=grant)
            users[role] = user
        users["admin"], _ = User.objects.get_or_create(
            username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
        )
        return cls(city, street, branch, users)

    def first(self, label):
        """The first row of model `label` inside the branch, else the street, else the city."""
        if label in self._cache:
            return self._cache[label]
        from django.apps import apps

        model = apps.get_model(label)
        path = org_path(model)
        qs = model._default_manager.order_by("pk")
        pk = None
        if path is None:
            pk = qs.values_list("pk", flat=True).first()
        else:
            for org in (self.branch, self.street, self.city):
                lookup = f"{path}__path__startswith" if path else "path__startswith"
                pk = qs.filter(**{lookup: org.path}).values_list("pk", flat=True).first()
                if pk is not None:
                    break
        self._cache[label] = pk
        return pk


def org_path(model, depth=3):
    """The lookup from `model` to the Organization that scopes it ('organization',
    'member__organization', …), breadth first over foreign keys; None when there is none."""
    from xianfeng.orgs.models import Organization

    if model is Organization:
        return ""
    frontier = [(model, "")]
    for _ in range(depth):
        nxt = []
        for m, prefix in frontier:
            fks = [f for f in m._meta.fields if f.is_relation and f.related_model]
            fks.sort(key=lambda f: (f.name not in ("organization", "member", "grid"), f.name))
            for f in fks:
                if f.related_model is Organization:
                    return prefix + f.name
            for f in fks:
                if f.related_model is not m and f.name not in ("created_by", "actor"):
                    nxt.append((f.related_model, prefix + f.name + "__"))
        frontier = nxt
    return None


# ---------------------------------------------------------------- fillers


def own_org(world, role):
    return world.orgs[role].pk


def model(label):
    def fill(world, role):
        return world.first(label)

    fill.label = label
    return fill


def const(value):
    return lambda world, role: value


def _file_token(world, role):
    from django.core import signing

    from xianfeng.core.uploads import LINK_SALT

    name = "archives/bench.pdf"
    return signing.dumps(name, salt=LINK_SALT, compress=True)


def _own_export(world, role):
    """A finished member export of the role's own user (only its owner opens it)."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from xianfeng.excel.models import ExportJob, ExportKind, JobStatus

    user = world.users[role]
    job = ExportJob.objects.filter(created_by=user, status=JobStatus.DONE).first()
    if job is None:
        job = ExportJob.objects.create(
            kind=ExportKind.MEMBERS, created_by=user, status=JobStatus.DONE
        )
        job.file.save(f"bench-{user.pk}.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    job.finished_at = timezone.now()
    job.expires_at = timezone.now() + timedelta(days=30)
    job.save()
    return job.pk


def _own_or_first(label, own):
    """The role's own row (`own(user, member) -> pk or None`: the pages that show only one's
    own quiz, answer sheet or import job), else the first row of `label` (then the page
    answers 404, as it should for another person's row)."""

    def fill(world, role):
        user = world.users[role]
        pk = own(user, user.member) if user.member_id else own(user, None)
        return pk or world.first(label)

    fill.label = label
    return fill


def _open_quiz(user, member):
    from django.utils import timezone

    from xianfeng.learning.services import open_quizzes_for

    if member is None:
        return None
    return (
        open_quizzes_for(member, timezone.localdate()).order_by("pk").values_list("pk", flat=True)
    ).first()


def _submitted_attempt(user, member):
    from xianfeng.learning.models import QuizAttempt

    if member is None:
        return None
    mine = QuizAttempt.objects.filter(member=member, submitted_at__isnull=False)
    return mine.order_by("pk").values_list("pk", flat=True).first()


def _own_import_job(user, member):
    """The user's own finished import (made once: the generated jobs belong to nobody)."""
    from xianfeng.excel.models import ImportJob, ImportKind, JobStatus

    job, _ = ImportJob.objects.get_or_create(
        created_by=user,
        original_name="bench.xlsx",
        defaults={
            "kind": ImportKind.MEMBERS,
            "file": "imports/bench.xlsx",
            "status": JobStatus.DONE,
            "progress": 100,
            "result": {"created": 0, "updated": 0, "unchanged": 0},
        },
    )
    return job.pk


def _lost_or_suspended_member(world, role):
    """standing/member/<pk>/ is the page of a 失联 or 停止党籍 member: one in scope."""
    from xianfeng.members.models import Member, MemberStatus

    for org in (world.branch, world.street, world.city):
        pk = (
            Member.objects.filter(
                organization__path__startswith=org.path,
                status__in=(MemberStatus.LOST_CONTACT, MemberStatus.SUSPENDED),
            )
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk:
            return pk
    return world.first("members.Member")


def _signin_token(world, role):
    from xianfeng.meetings.models import Meeting
    from xianfeng.meetings.services import signin_token

    return signin_token(Meeting.objects.get(pk=world.first("meetings.Meeting")))


def _card_token(world, role):
    from xianfeng.members.models import Member
    from xianfeng.points.card import token_for

    return token_for(Member.objects.get(pk=world.first("members.Member")))


def _request(world, role):
    from xianfeng.resident_requests.models import ResidentRequest

    return ResidentRequest.objects.get(pk=world.first("resident_requests.ResidentRequest"))


def _tracking(world, role):
    req = _request(world, role)
    return {"code": req.tracking_code, "secret": req.secret}


def _grid_code(world, role):
    from xianfeng.grid.models import Grid

    return Grid.objects.get(pk=world.first("grid.Grid")).code


def _community_code(world, role):
    """The portal's community page takes a community (or village) grid, not a branch's grid."""
    from xianfeng.grid.models import Grid, GridKind

    grids = Grid.objects.filter(kind__in=(GridKind.COMMUNITY, GridKind.VILLAGE)).order_by("pk")
    for org in (world.branch, world.street, world.city):
        found = grids.filter(scope_org__path__startswith=org.path).values_list("code", flat=True)
        if found.first() is not None:
            return found.first()
    return None


_community_code.label = "grid.Grid"


def _category_code(world, role):
    from xianfeng.resident_requests.models import Category

    return Category.objects.filter(is_active=True).order_by("pk").values_list("code", flat=True)[0]


def _unit_token(world, role):
    from xianfeng.resident_requests.models import CallIn
    from xianfeng.resident_requests.units import token_for

    pk = world.first("resident_requests.CallIn")
    return None if pk is None else token_for(CallIn.objects.get(pk=pk))


def _request_with_call_in(world, role):
    """A request of the branch with a unit call-in (the call-in link page takes both ids),
    else the first request of the branch."""
    from xianfeng.resident_requests.models import CallIn

    if "call_in" not in world._cache:
        world._cache["call_in"] = next(
            (
                row
                for org in (world.branch, world.street, world.city)
                for row in CallIn.objects.filter(request__organization__path__startswith=org.path)
                .order_by("pk")
                .values_list("request_id", "pk")[:1]
            ),
            None,
        )
    if world._cache["call_in"] is not None:
        request_pk, call_pk = world._cache["call_in"]
        return {"pk": request_pk, "call_pk": call_pk}
    return world.first("resident_requests.ResidentRequest")


_request_with_call_in.label = "resident_requests.CallIn"


def _activity_token(world, role):
    from xianfeng.venues.activities import check_in_token
    from xianfeng.venues.models import Activity

    pk = world.first("venues.Activity")
    return None if pk is None else check_in_token(Activity.objects.get(pk=pk))


_activity_token.label = "venues.Activity"


def _booking_token(world, role):
    from xianfeng.venues.models import Booking

    pk = world.first("venues.Booking")
    return None if pk is None else Booking.objects.get(pk=pk).token


_booking_token.label = "venues.Booking"


def _this_year(world, role):
    from django.utils import timezone

    return timezone.localdate().year


FILLERS = {
    "files/<str:token>": _file_token,
    "u/<str:token>": _unit_token,
    "standing/case/<int:pk>": model("standing.LapseCase"),
    "standing/member/<int:pk>": _lost_or_suspended_member,
    "accounts/users/<int:pk>": lambda w, r: w.users["branch"].pk,
    "orgs/<int:pk>": own_org,
    "orgs/committees/<int:pk>": model("orgs.Committee"),
    "orgs/seats/<int:pk>": model("orgs.CommitteeSeat"),
    "members/<int:pk>": model("members.Member"),
    "excel/template/<str:kind>": const("members"),
    "excel/import/<str:kind>": const("members"),
    "excel/jobs/<int:pk>": _own_or_first("excel.ImportJob", _own_import_job),
    "excel/exports/<int:pk>": _own_export,
    "development/<int:pk>": model("development.Development"),
    "dues/org/<int:pk>": own_org,
    "dues/member/<int:pk>": model("members.Member"),
    "tasks/<int:pk>": model("tasks.KeyTask"),
    "campaigns/<int:pk>": model("campaigns.Campaign"),
    "campaigns/cases/<int:pk>": model("campaigns.Case"),
    "campaigns/assignments/<int:pk>": model("campaigns.Assignment"),
    "tasks/milestones/<int:pk>": model("tasks.Milestone"),
    "tasks/brands/<int:pk>": model("tasks.BrandPlan"),
    "tasks/brands/milestones/<int:pk>": model("tasks.BrandMilestone"),
    "learning/courses/<int:pk>": model("learning.Course"),
    "learning/quizzes/<int:pk>": _own_or_first("learning.Quiz", _open_quiz),
    "learning/attempts/<int:pk>": _own_or_first("learning.QuizAttempt", _submitted_attempt),
    "service/projects/<int:pk>": model("service.ServiceProject"),
    "service/claims/<int:pk>": model("service.Claim"),
    "service/check-ins/<int:pk>": model("service.CommunityCheckIn"),
    "service/alliances/<int:pk>": model("service.Alliance"),
    "service/volunteers/<int:pk>": model("service.Volunteer"),
    "service/activities/<int:pk>": model("service.VolunteerActivity"),
    "service/signups/<int:pk>": model("service.VolunteerSignup"),
    "venues/<int:pk>": model("venues.Venue"),
    "venues/photos/<int:pk>": model("venues.VenuePhoto"),
    "venues/bookings/<int:pk>": model("venues.Booking"),
    "venues/activities/<int:pk>": model("venues.Activity"),
    "venues/signups/<int:pk>": model("venues.Signup"),
    "m/c/<str:code>": _community_code,
    "m/v/<int:pk>": model("venues.Venue"),
    "m/a/<int:pk>": model("venues.Activity"),
    "m/in/<str:token>": _activity_token,
    "m/b/<str:token>": _booking_token,
    "m/me/signups/<int:pk>": model("venues.Signup"),
    "archives/org/<int:pk>": own_org,
    "archives/member/<int:pk>": model("members.Member"),
    "archives/item/<int:pk>": model("archives.ArchiveItem"),
    "cadres/<int:pk>": model("cadres.ReserveCadre"),
    "assessment/rectifications/<int:pk>": model("assessment.RectificationPlan"),
    "assessment/org/<int:pk>": own_org,
    "assessment/member/<int:pk>": model("members.Member"),
    "requests/calendar/<int:year>": _this_year,
    "requests/<int:pk>": _request_with_call_in,
    "r/t/<str:code>": _tracking,
    "r/<str:grid_code>": _grid_code,
    "open311/v2/^discovery\\.(?P<fmt>json|xml)": const("json"),
    "open311/v2/^services\\.(?P<fmt>json|xml)": const("json"),
    "open311/v2/^services/(?P<code>[-\\w]+)": lambda w, r: {
        "code": _category_code(w, r),
        "fmt": "json",
    },
    "open311/v2/^requests\\.(?P<fmt>json|xml)": const("json"),
    "open311/v2/^requests/(?P<request_id>\\w+)": lambda w, r: {
        "request_id": _request(w, r).tracking_code,
        "fmt": "json",
    },
    "open311/v2/^tokens/(?P<token>\\w+)": lambda w, r: {
        "token": _request(w, r).tracking_code,
        "fmt": "json",
    },
    "grid/org/<int:pk>": own_org,
    "grid/<int:pk>": model("grid.Grid"),
    "grid/staff/<int:pk>": model("grid.GridStaff"),
    "grid/central/<int:pk>": model("grid.CentralHousehold"),
    "grid/household/<int:pk>": model("grid.Household"),
    "transfers/<int:pk>": model("transfers.Transfer"),
    "transfers/batch/<int:pk>": model("transfers.TransferBatch"),
    "transfers/mobile/<int:pk>": model("transfers.MobileMember"),
    "elections/org/<int:pk>": own_org,
    "elections/<int:pk>": model("elections.Election"),
    "instructors/windows/<int:pk>": model("instructors.CollectionWindow"),
    "instructors/<int:pk>": model("instructors.Instructor"),
    "instructors/assignments/<int:pk>": model("instructors.Assignment"),
    "meetings/signin/<str:token>": _signin_token,
    "meetings/<int:pk>": model("meetings.Meeting"),
    "meetings/org/<int:pk>": own_org,
    # The screen and one of its panels (extra keys are left unused by the screen's own route).
    "screen/<int:pk>": lambda w, r: {"pk": w.orgs[r].pk, "code": "requests"},
    "points/rules/<int:pk>": model("points.PointRule"),
    "points/org/<int:pk>": own_org,
    "points/member/<int:pk>": model("members.Member"),
    "points/event/<int:pk>": model("points.PointEvent"),
    "points/claims/<int:pk>": model("points.PointClaim"),
    "points/scan/<str:token>": _card_token,
    "enterprises/<int:pk>": model("enterprise.Enterprise"),
    "notices/<int:pk>": model("notices.Notice"),
    "api/v1/^orgs/(?P<pk>[^/]+)": own_org,
    "api/v1/^members/(?P<pk>[^/]+)": model("members.Member"),
    "api/v1/^tasks/(?P<pk>[^/]+)": model("tasks.KeyTask"),
    "api/v1/^brands/(?P<pk>[^/]+)": model("tasks.BrandPlan"),
    "api/v1/^star-ratings/(?P<pk>[^/]+)": model("assessment.StarRating"),
    "api/v1/^member-assessments/(?P<pk>[^/]+)": model("assessment.MemberAssessment"),
    "api/v1/^grids/(?P<pk>[^/]+)": model("grid.Grid"),
    "api/v1/^transfers/(?P<pk>[^/]+)": model("transfers.Transfer"),
    "api/v1/^meetings/(?P<pk>[^/]+)": model("meetings.Meeting"),
    "api/v1/^campaigns/(?P<pk>[^/]+)": model("campaigns.Campaign"),
    "api/v1/^campaign-cases/(?P<pk>[^/]+)": model("campaigns.Case"),
    "api/v1/points/members/<str:pk>": model("members.Member"),
    "api/v1/^me/notices/(?P<pk>[0-9]+)": model("notices.Delivery"),
}
ADMIN_ROUTE = re.compile(r"^django-admin/(\w+)/(\w+)/<path:object_id>")


def filler_for(pattern):
    """The filler of a pattern with parameters, or None (then the pattern is a MISS)."""
    if not pattern.params:
        return const({})
    if pattern.key in FILLERS:
        return FILLERS[pattern.key]
    if pattern.route.startswith("django-admin/"):
        m = ADMIN_ROUTE.match(pattern.route)
        if m:
            return model(f"{m.group(1)}.{m.group(2)}")
        if "<path:content_type_id>" in pattern.route:
            return _admin_shortcut
        if pattern.route == "django-admin/accounts/user/<id>/password/":
            return lambda world, role: world.users["branch"].pk
        if pattern.params == ["parent_id"]:
            return lambda world, role: world.branch.pk
        if pattern.params == ["app_label"]:
            return const("members")
        if pattern.params == ["url"]:
            return const("no-such-page/")
    return None


def _admin_shortcut(world, role):
    from django.contrib.contenttypes.models import ContentType

    from xianfeng.orgs.models import Organization

    ct = ContentType.objects.get_for_model(Organization)
    return {"content_type_id": ct.pk, "object_id": world.branch.pk}


def fill(pattern, world, role):
    """{param: value} for the pattern and role; raises LookupError when it cannot be filled."""
    filler = filler_for(pattern)
    if filler is None:
        raise LookupError("没有填充规则 no filler")
    value = filler(world, role)
    if value is None:
        label = getattr(filler, "label", "?")
        raise LookupError(f"城市里没有 {label} no row")
    if not isinstance(value, dict):
        value = {pattern.params[0]: value}
    missing = [p for p in pattern.params if p not in value]
    if missing:
        raise LookupError(f"缺少参数 {missing}")
    return value


# ---------------------------------------------------------------- the server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(workers):
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "xianfeng.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            str(TIMEOUT),
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return proc, port
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise SystemExit("gunicorn did not start")


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def session_cookie(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@dataclass
class Sample:
    status: int
    ms: float
    ctype: str = ""
    streamed: bool = False
    size: int = 0


def get(conn_box, port, path, cookie, timeout):
    """One GET over a kept-alive connection; reconnects once on a dropped connection."""
    headers = {"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1", "Accept": "*/*"}
    for attempt in (1, 2):
        if conn_box[0] is None:
            conn_box[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            started = time.perf_counter()
            conn_box[0].request("GET", path, headers=headers)
            resp = conn_box[0].getresponse()
            body = resp.read()
            ms = (time.perf_counter() - started) * 1000
            streamed = resp.getheader("Content-Length") is None
            if resp.getheader("Connection", "").lower() == "close":
                conn_box[0].close()
                conn_box[0] = None
            return Sample(resp.status, ms, resp.getheader("Content-Type", ""), streamed, len(body))
        except (http.client.HTTPException, OSError):
            conn_box[0].close()
            conn_box[0] = None
            if attempt == 2:
                return Sample(599, 0.0)
    return Sample(599, 0.0)


# ---------------------------------------------------------------- the run


@dataclass
class Result:
    pattern: Pattern
    role: str
    path: str = ""
    samples: list = field(default_factory=list)
    error: str = ""

    @property
    def status(self):
        return self.samples[0].status if self.samples else 0

    def pct(self, q):
        times = sorted(s.ms for s in self.samples[1:] or self.samples)
        if not times:
            return float("nan")
        if q == 50:
            return statistics.median(times)
        return times[min(len(times) - 1, int(round(q / 100 * (len(times) - 1))))]


def is_export(result):
    ctype = result.samples[0].ctype if result.samples else ""
    route = result.pattern.route
    if route.startswith("excel/exports/<int:pk>/") and not route.endswith("download/"):
        return False  # a background export's status page, not a file
    return any(t in ctype for t in EXPORT_TYPES) or "export" in route or ".xlsx" in route


def run(world, reps, workers=3, only=None, out=print):
    """Request every pattern as every role; returns the list of Results."""
    from django.db import connections

    items = [p for p in patterns() if not only or re.search(only, p.route)]
    cookies = {role: session_cookie(user) for role, user in world.users.items()}
    connections.close_all()
    proc, port = start_gunicorn(workers)
    results = []
    try:
        box = [None]
        for pattern in items:
            roles = ("admin",) if pattern.kind == "admin" else ROLES
            for role in roles:
                result = Result(pattern, role)
                results.append(result)
                try:
                    values = fill(pattern, world, role)
                except Exception as exc:  # noqa: BLE001 — a filler's failure is a MISS
                    result.error = str(exc)[:80]
                    break
                result.path = build_url(pattern.route, values)
                first = get(box, port, result.path, cookies[role], TIMEOUT)
                result.samples.append(first)
                if first.status in (405, 403, 404) or first.status >= 500:
                    continue  # not a GET page for this role: one probe is enough
                # An export of the whole city may take minutes: two timed runs are enough.
                for _ in range(min(reps, 2) if is_export(result) else reps):
                    result.samples.append(get(box, port, result.path, cookies[role], TIMEOUT))
            out(line(pattern, [r for r in results if r.pattern is pattern]))
    finally:
        stop(proc)
    return results


def line(pattern, results):
    parts = []
    for r in results:
        if r.error:
            parts.append(f"{r.role}: 未填充 {r.error}")
        elif len(r.samples) == 1:
            parts.append(f"{r.role}: {r.status}")
        else:
            parts.append(f"{r.role}: {r.status} p50 {r.pct(50):6.1f} p95 {r.pct(95):6.1f}")
    by_role = {r.role: r for r in results}
    ratio = city_ratio(by_role)
    tail = f"  city÷branch {ratio:.2f}" if ratio else ""
    return f"{pattern.label:60.60}  " + " | ".join(parts) + tail


def city_ratio(by_role):
    city, branch = by_role.get("city"), by_role.get("branch")
    if not city or not branch or len(city.samples) < 2 or len(branch.samples) < 2:
        return None
    return city.pct(50) / max(branch.pct(50), 1e-6)


def is_list(pattern):
    """A list page: no parameter, or only its organization (each role's own)."""
    return pattern.kind != "admin" and (not pattern.params or FILLERS.get(pattern.key) is own_org)


def judge(results):
    """The verdict lines ('OK …' / 'MISS …'), one per target and pattern."""
    lines = []
    grouped = {}
    for r in results:
        grouped.setdefault(id(r.pattern), []).append(r)
    for rs in grouped.values():
        pattern = rs[0].pattern
        by_role = {r.role: r for r in rs}
        limit = API_P95_MS if pattern.kind == "api" else PAGE_P95_MS
        errors = [r for r in rs if r.error]
        if errors:
            lines.append(f"MISS fill  {pattern.label}: {errors[0].error}")
            continue
        statuses = {r.role: r.status for r in rs}
        if any(s >= 500 for s in statuses.values()):
            lines.append(f"MISS error {pattern.label}: {statuses}")
            continue
        if all(s == 405 for s in statuses.values()):
            lines.append(f"OK   post   {pattern.label}: POST only (405 on GET)")
            continue
        measured = [r for r in rs if len(r.samples) > 1]
        if not measured:
            lines.append(f"MISS status {pattern.label}: {statuses} (no role got the page)")
            continue
        worst = max(measured, key=lambda r: r.pct(95))
        p95 = worst.pct(95)
        tag = "api " if pattern.kind == "api" else "page"
        ok = p95 < limit
        lines.append(
            f"{'OK  ' if ok else 'MISS'} {tag}   {pattern.label}: p95 {p95:.0f} ms as "
            f"{worst.role} (<{limit}) {statuses}"
        )
        ratio = city_ratio(by_role)
        if is_list(pattern) and ratio is not None:
            ok = ratio <= LIST_RATIO
            lines.append(
                f"{'OK  ' if ok else 'MISS'} ratio  {pattern.label}: city÷branch {ratio:.2f} "
                f"(≤{LIST_RATIO})"
            )
        if any(is_export(r) for r in measured):
            streamed = all(s.streamed for r in measured for s in r.samples if s.status == 200)
            lines.append(
                f"{'OK  ' if streamed else 'MISS'} export {pattern.label}: "
                f"{'streamed' if streamed else 'not streamed (Content-Length set)'}"
            )
    return lines


def main(city, reps, only=None, workers=3):
    world = World.build(city)
    print(
        f"world: city {city.name}, street {world.street.name}, branch {world.branch.name} "
        f"({world.branch.members.count()} members); gunicorn {workers} workers; "
        f"{reps} requests per pattern and role after one warm-up"
    )
    started = time.monotonic()
    results = run(world, reps, workers=workers, only=only)
    verdicts = judge(results)
    print(f"\n{len(results)} pattern×role runs in {time.monotonic() - started:.0f} s\ntargets:")
    for v in verdicts:
        print("  " + v)
    misses = sum(v.startswith("MISS") for v in verdicts)
    print(f"\n{len(verdicts) - misses} OK, {misses} MISS; load average {os.getloadavg()[0]:.1f}")
    return 1 if misses else 0
