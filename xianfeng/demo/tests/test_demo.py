from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from xianfeng.accounts.models import RoleGrant, User
from xianfeng.accounts.roles import Role
from xianfeng.demo import PASSWORD
from xianfeng.members.idcard import check_consistent
from xianfeng.members.management.commands.check_counts import drift
from xianfeng.members.models import Category, Member, Membership, MemberTag
from xianfeng.members.search import search_q
from xianfeng.orgs.models import Committee, CommitteeSeat, Organization, OrgKind

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module and rolled back after it."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db):
    return demo_loaded


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Organization,
            Member,
            Membership,
            Committee,
            CommitteeSeat,
            User,
            RoleGrant,
            MemberTag,
            Member.tags.through,
        )
    }


def subtree(name):
    org = Organization.objects.get(name=name)
    return org, Organization.objects.filter(path__startswith=org.path)


def test_loading_twice_changes_nothing(demo):
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert drift(Organization.objects.all()) == []


def test_guodian_has_43_branches_and_1062_members(demo):
    street, orgs = subtree("郭店街道党工委")
    # The report's 43 standing branches; the 回迁's temporary branch (dissolved) is not one.
    assert orgs.filter(kind=OrgKind.BRANCH, is_temporary=False).count() == 43
    assert orgs.aggregate(n=Sum("member_count"))["n"] == 1062
    assert Member.objects.filter(organization__path__startswith=street.path).count() == 1062
    for name in (
        "十里堡村党支部",
        "曹家馆村党支部",
        "虞景社区党支部",
        "济南镁碳砖厂党支部",
        "闽鲁建材城党支部",
        "山东耀华玻璃有限公司党支部",
        "郭店街道机关党支部",
    ):
        assert orgs.filter(name=name).exists(), name


def test_the_other_reports_are_reproduced(demo):
    _, tianqiao = subtree("天桥区委")
    assert tianqiao.filter(kind=OrgKind.COMMITTEE, name__endswith="街道党工委").count() == 15
    assert tianqiao.filter(name="北关社区党支部").exists()

    _, dajijia = subtree("大季家街道党工委")
    assert dajijia.filter(kind=OrgKind.BRANCH, domain="rural").count() == 32
    assert dajijia.filter(kind=OrgKind.BRANCH, domain="private").count() == 26
    ruixiang, grid = subtree("瑞祥社区党总支")
    assert grid.filter(kind=OrgKind.BRANCH, name__contains="网格党支部").count() == 4
    assert grid.filter(kind=OrgKind.GROUP, name__endswith="楼栋党小组").count() == 12
    assert Member.objects.filter(
        organization__kind=OrgKind.GROUP, organization__path__startswith=ruixiang.path
    ).exists()

    _, guyunhu = subtree("崮云湖街道党工委")
    assert guyunhu.filter(kind=OrgKind.BRANCH, domain="rural", is_temporary=False).count() == 25
    assert guyunhu.filter(kind=OrgKind.BRANCH, domain="community").count() == 8
    assert guyunhu.get(name="创新大厦联合党支部").is_joint
    temporary, groups = subtree("东辛村拆迁临时党支部")
    assert temporary.is_temporary and groups.filter(kind=OrgKind.GROUP).count() == 4

    _, shunyu = subtree("舜玉路街道党工委")
    for name in ("舜园社区综合党委", "舜函社区党支部", "舜耕社区党支部", "七里山社区党支部"):
        assert shunyu.filter(name=name).exists(), name


def test_rule_warnings_have_cases(demo):
    branches = Organization.objects.filter(kind=OrgKind.BRANCH)
    assert branches.filter(full_member_count__lt=3).count() >= 2
    assert branches.filter(member_count__gt=50).count() >= 2
    assert Organization.objects.filter(
        kind=OrgKind.BRANCH, full_member_count__gte=7, committees__isnull=True
    ).exists()


def test_committees_terms_are_spread(demo):
    from datetime import timedelta

    today = timezone.localdate()
    assert Committee.objects.filter(ends_on__lt=today).exists()
    assert Committee.objects.filter(ends_on__range=(today, today + timedelta(days=90))).exists()
    assert Committee.objects.filter(ends_on__gt=today + timedelta(days=365)).exists()
    for committee in Committee.objects.select_related("organization"):
        assert committee.organization.full_member_count >= 7
    seat = CommitteeSeat.objects.select_related("member", "committee").first()
    assert seat.member.organization_id == seat.committee.organization_id
    assert Member.objects.get(name="杨长学").seats.get().post == "secretary"


def test_members_are_plausible_and_ids_valid(demo):
    for member in Member.objects.all().iterator():
        assert check_consistent(member.id_number, member.birth_date, member.gender) == {}
        assert member.age(member.joined_on) >= 18
        assert len(member.phone) == 11 and member.phone.startswith("1")
        if member.category == Category.PROBATIONARY:
            assert member.confirmed_on is None
    assert Member.objects.filter(category=Category.PROBATIONARY).exists()
    assert set(MemberTag.objects.filter(members__isnull=False).values_list("code", flat=True)) >= {
        "mobile",
        "hardship",
        "fifty_years",
    }


def test_zhangsan_is_found_by_initials_and_linked_to_dangyuan(demo):
    street, _ = subtree("郭店街道党工委")
    found = Member.objects.filter(search_q("zs"))
    assert list(found.values_list("name", flat=True)) == ["张三"]
    zhangsan = found.get()
    assert zhangsan.organization.path.startswith(street.path)
    assert User.objects.get(username="dangyuan").member == zhangsan


def test_every_demo_user_can_log_in(demo, client):
    roles = dict(RoleGrant.objects.values_list("user__username", "role"))
    # 郭店's village grid workers who take the requests (demo/requests.py), one per village
    workers = {name: roles.pop(name) for name in list(roles) if name.startswith("gdwangge")}
    assert workers and set(workers.values()) == {Role.GRID_WORKER}
    assert "gdwangge1" in demo
    assert roles == {
        "jiedao": Role.STREET_ADMIN,
        "shuji": Role.COMMITTEE_SECRETARY,
        "zhibu": Role.BRANCH_SECRETARY,
        "zuzhi": Role.ORG_OFFICER,
        "wangge": Role.GRID_WORKER,
        "guancha": Role.OBSERVER,
        "zhidao": Role.INSTRUCTOR,
        "daping": Role.SCREEN,  # the 郭店 command centre's wall display (demo/screen.py)
        "qiye1": Role.GRID_WORKER,  # 企业服务专员 (demo/enterprise.py)
        "qiye2": Role.GRID_WORKER,
        "qiye3": Role.GRID_WORKER,
        "zuzhang": Role.GRID_WORKER,  # 楼栋党小组组长 of 赵美菊's building (demo/grid.py)
    }
    assert User.objects.get(username="admin").is_superuser
    leader = User.objects.get(username="zuzhang")  # the level 赵美菊 passes requests up to
    assert leader.member.organization == central_group() and "zuzhang" in demo
    central = User.objects.get(username="zhongxinhu")  # the 中心户 of the 王魁 case
    assert central.member.name == "赵美菊" and not central.grants.exists()
    assert "zhongxinhu" in demo
    for user in User.objects.all():
        assert client.login(username=user.username, password=PASSWORD), user.username
        client.logout()
    assert "admin" in demo and "xianfeng-demo" in demo


def central_group():
    return User.objects.get(username="zhongxinhu").member.organization


def test_a_later_run_on_another_day_adds_nothing(demo):
    from datetime import timedelta

    from xianfeng.demo import Context, load_all

    first = counts()
    load_all(Context(today=timezone.localdate() + timedelta(days=400)))
    later = counts()
    # Only 光荣在党50年 may grow: more members pass fifty years of party age by then.
    assert later.pop("Member_tags") >= first.pop("Member_tags")
    assert later == first


def test_tianqiao_board_and_dajijia_brands(demo):
    from xianfeng.tasks.models import BrandPlan, KeyTask, TaskKind

    tianqiao = KeyTask.objects.filter(organization__path__startswith=_path("天桥区委"))
    assert tianqiao.filter(kind=TaskKind.KEY_TASK).count() == 17
    assert tianqiao.filter(kind=TaskKind.BREAKTHROUGH).count() == 21
    dajijia = BrandPlan.objects.filter(organization__path__startswith=_path("大季家街道党工委"))
    assert dajijia.count() >= 60
    assert dajijia.filter(is_key=True).count() == 5


def _path(name):
    return Organization.objects.get(name=name).path


def test_guodian_learning_has_courses_a_quiz_and_study(demo):
    from xianfeng.learning.models import Course, QuizAttempt, StudyRecord

    guodian = _path("郭店街道党工委")
    assert Course.objects.filter(organization__path=guodian).count() == 4
    assert StudyRecord.objects.filter(member__organization__path__startswith=guodian).exists()
    assert QuizAttempt.objects.filter(score__isnull=False).count() == 150


def test_shunyulu_alliances_and_claimed_projects(demo):
    from xianfeng.service.models import Alliance, Claim, Studio

    counts = {a.kind: a.memberships.count() for a in Alliance.objects.all()}
    assert counts == {"regional": 38, "entrepreneurs": 39}
    assert Claim.objects.filter(unit__isnull=False).count() >= 30
    assert Claim.objects.filter(community__isnull=False).count() >= 30
    assert set(Studio.objects.values_list("holder", flat=True)) >= {"吴国梁", "孙福增"}


def test_guodian_has_150_volunteers_on_duty(demo):
    from xianfeng.service.models import Volunteer

    assert (
        Volunteer.objects.filter(organization__name="郭店街道党工委", is_active=True).count() == 150
    )


def test_dajijia_instructors_and_guyunhu_elections(demo):
    from xianfeng.elections.models import Election
    from xianfeng.instructors.models import Assignment, Submission, Visit

    _, dajijia = subtree("大季家街道党工委")
    guided = Assignment.objects.filter(organization__in=dajijia, ended_on__isnull=True)
    assert guided.filter(organization__domain="rural").count() == 32
    assert guided.filter(organization__domain="private").count() == 26
    assert Visit.objects.filter(organization__in=dajijia).count() > 1000
    assert Submission.objects.exists()
    _, guyunhu = subtree("崮云湖街道党工委")
    elections = Election.objects.filter(organization__in=guyunhu)
    assert elections.values("organization").distinct().count() == 33
    assert set(elections.values_list("status", flat=True)) == {
        "planned",
        "nominating",
        "voted",
        "approved",
        "rejected",
    }
    approved = elections.filter(status="approved").select_related("new_committee")
    for election in approved[:3]:
        seats = election.new_committee.seats.all()
        assert seats and all(s.started_on == election.decided_on for s in seats)
        results = {
            n.post: n.result for n in election.nominations.filter(elected=True)
        }  # 书记 批准, 委员 备案 (issue 17)
        assert results.pop("secretary") == "approved"
        assert results.pop("deputy_secretary", "approved") == "approved"
        assert set(results.values()) == {"filed"}


def test_the_wang_kui_case_went_through_the_services(demo):
    from datetime import timedelta

    from xianfeng.core.models import AuditLog
    from xianfeng.resident_requests.models import ResidentRequest

    req = ResidentRequest.objects.get(idempotency_key="demo:wangkui")
    assert (req.status, req.owner_name, req.rating) == ("solved", "赵美菊", 5)
    assert timedelta(0) < req.solved_at - req.created_at <= timedelta(hours=1)
    assert timezone.localdate(req.created_at).isoformat() == "2020-02-19"
    steps = list(req.events.order_by("at", "id").values_list("action", "actor_name"))
    handled = [s for s in steps if s[0] in ("accepted", "escalated", "solved")]
    assert handled == [
        ("accepted", "赵美菊"),
        ("escalated", "赵美菊"),
        ("accepted", "姜君"),
        ("solved", "姜君"),
    ]
    assert AuditLog.objects.filter(action="request.solved", target_id=str(req.pk)).exists()


def test_the_demo_database_holds_no_plain_id_number_or_phone(demo):
    """Issue 13 §2: a dump (or the SQLite file) of the demo holds no personal number."""
    from django.db import connection

    numbers = set(Member.objects.values_list("id_number", flat=True))
    phones = {p for p in Member.objects.values_list("phone", flat=True) if p}
    assert len(numbers) > 1000 and phones
    if connection.vendor == "sqlite":
        dump = "\n".join(connection.connection.iterdump())  # what the SQLite file holds
    else:
        rows = []
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
                rows += [repr(row) for row in cursor.fetchall()]
        dump = "\n".join(rows)
    assert not [n for n in numbers if n in dump]
    assert not [p for p in phones if p in dump]


def test_the_wall_display_shows_guodian(demo, client):
    """The 郭店 command centre's login opens its big screen, with a year of monthly totals."""
    from xianfeng.screen.models import MonthlyFigure

    street = Organization.objects.get(name="郭店街道党工委")
    assert MonthlyFigure.objects.filter(organization=street).count() == 12
    assert client.login(username="daping", password=PASSWORD)
    page = client.get("/screen/")
    assert page.status_code == 200 and "郭店街道党工委" in page.content.decode()
    assert client.get("/orgs/").status_code == 403
