"""The workbench items of issue 15 §1 not covered by tests/test_workbench.py: dues arrears,
instructor logs, household visits of grid workers and 中心户. Each item is tried from inside
and from outside the subtree: a user outside sees nothing."""

from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from xianfeng.core.workbench import Urgency, todo_for
from xianfeng.dues.models import PaymentMethod
from xianfeng.dues.services import record_payment, set_dues_basis
from xianfeng.grid.models import CareTag, GridKind, Household, HouseholdTag
from xianfeng.grid.services_people import record_visit
from xianfeng.grid.testing import make_grid, make_staff, make_staff_role, matrix_grid_objects
from xianfeng.instructors.services import submit_log
from xianfeng.instructors.tests.factories import appoint, window
from xianfeng.members.models import Member
from xianfeng.testing import make_user


def items(user, today=None):
    return {i.kind: i for i in todo_for(user, today)}


def month(today, back):
    m = today.replace(day=1)
    for _ in range(back):
        m = (m - timedelta(days=1)).replace(day=1)
    return m


# ---------------------------------------------------------------- 党费


def test_dues_arrears_for_the_subtree_only(world):
    today = timezone.localdate()
    set_dues_basis(
        world.member,
        category="salaried",
        income=4000,
        from_month=month(today, 12),
        actor=world.users["admin"],
    )
    for role in ("street_admin", "branch_secretary"):
        found = items(world.users[role])
        assert found["dues.run"].count == 1, role
        assert found["dues.run"].urgency == Urgency.OVERDUE
        assert found["dues.last"].count == 1
        assert found["dues.run"].link == "/dues/"
    for role in ("outsider", "observer", "grid_worker"):
        assert not {"dues.run", "dues.last"} & items(world.users[role]).keys(), role
    # the member's own months are his alone
    assert items(world.users["member"])["dues.mine"].count >= 3
    assert "dues.mine" not in items(world.users["branch_secretary"])

    record_payment(
        world.member,
        month(today, 1),
        paid_on=today,
        method=PaymentMethod.SELF,
        actor=world.users["admin"],
    )
    found = items(world.users["branch_secretary"])
    assert "dues.last" not in found
    assert "dues.run" not in found  # one of the last three months is paid: no longer a run


def test_dues_new_member_is_not_behind(world):
    today = timezone.localdate()
    newcomer = Member.objects.get(name="李四")
    Member.objects.filter(pk=newcomer.pk).update(joined_on=today.replace(day=1))
    set_dues_basis(
        newcomer,
        category="salaried",
        income=4000,
        from_month=today.replace(day=1),
        actor=world.users["admin"],
    )
    assert "dues.last" not in items(world.users["branch_secretary"])


# ---------------------------------------------------------------- 党建指导员


def test_instructor_logs_due(world):
    login = make_user("li5", member=Member.objects.get(name="李五"))
    instructor = appoint(world)
    win = window(world)
    before_close, after_close = date(2024, 7, 10), date(2024, 7, 20)

    mine = items(login, before_close)["instructors.mine"]
    assert (mine.count, mine.urgency, mine.due) == (1, Urgency.SOON, win.closes_on)
    assert mine.link == f"/instructors/{instructor.pk}/"
    assert "instructors.missing" not in items(world.users["street_admin"], before_close)

    assert items(login, after_close)["instructors.mine"].urgency == Urgency.OVERDUE
    missing = items(world.users["street_admin"], after_close)["instructors.missing"]
    assert missing.count == 1 and missing.link == "/instructors/windows/"
    for role in ("outsider", "branch_secretary", "member", "grid_worker"):
        assert "instructors.missing" not in items(world.users[role], after_close), role
        assert "instructors.mine" not in items(world.users[role], after_close), role

    submit_log(win, instructor, submitted_on=date(2024, 7, 12), actor=login)
    assert "instructors.mine" not in items(login, after_close)
    assert "instructors.missing" not in items(world.users["street_admin"], after_close)


# ---------------------------------------------------------------- 走访 (网格员, 中心户)


def _cared_household(grid, address="1单元102"):
    household = Household.objects.create(grid=grid, address=address, head_name="独居的刘")
    HouseholdTag.objects.create(household=household, tag=CareTag.ALONE)
    return household


def test_visits_due_for_grid_worker_and_central_first(world):
    objects = matrix_grid_objects(world)
    household = _cared_household(Household.objects.get(pk=objects["household"]).grid)
    # the outsider serves a grid of his own village: he sees its households, not these
    village = make_grid("十里堡村", kind=GridKind.VILLAGE, organization=world.other_branch)
    make_staff(
        village, make_staff_role(world.district, code="x"), "赵", user=world.users["outsider"]
    )
    _cared_household(village, "村东1号")

    for role in ("grid_worker", "member"):  # the grid worker; the member is the 中心户
        listed = todo_for(world.users[role])
        assert listed[0].kind == "grid.visits", role
        assert listed[0].count == 1 and listed[0].link == "/grid/mine/?due=1"
    assert items(world.users["outsider"])["grid.visits"].count == 1
    for role in ("street_admin", "branch_secretary", "observer"):
        assert "grid.visits" not in items(world.users[role]), role

    record_visit(
        household,
        visited_on=timezone.localdate(),
        visitor_name="网格员",
        found="",
        needs_follow_up=False,
        key=None,
        actor=world.users["grid_worker"],
    )
    assert "grid.visits" not in items(world.users["grid_worker"])
    assert items(world.users["outsider"])["grid.visits"].count == 1


def test_follow_up_makes_any_household_due(world):
    objects = matrix_grid_objects(world)
    plain = Household.objects.get(pk=objects["household"])
    record_visit(
        plain,
        visited_on=timezone.localdate() - timedelta(days=10),
        visitor_name="网格员",
        found="漏水",
        needs_follow_up=True,
        key=None,
        actor=world.users["grid_worker"],
    )
    assert items(world.users["grid_worker"])["grid.visits"].count == 1


def test_my_visits_page_is_scoped_and_links_only_what_opens(world):
    objects = matrix_grid_objects(world)
    household = _cared_household(Household.objects.get(pk=objects["household"]).grid)
    link = f'href="/grid/household/{household.pk}/"'

    def page(role):
        client = Client()
        client.force_login(world.users[role])
        response = client.get("/grid/mine/")
        assert response.status_code == 200
        return response.content.decode()

    worker = page("grid_worker")
    assert household.address in worker and link in worker
    central = page("member")  # the 中心户 sees her building, but the grid pages are not hers
    assert household.address in central and link not in central
    assert "共 2 条" in central
    outsider = page("outsider")
    assert household.address not in outsider and "没有在岗" in outsider
