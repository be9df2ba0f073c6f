"""流动党员: away six months at a fixed place → the relationship should move (条例 第二十五条)."""

from datetime import date

import pytest

from xianfeng.core.workbench import todo_for
from xianfeng.notices.models import Notice
from xianfeng.testing import make_member
from xianfeng.transfers import rules
from xianfeng.transfers.mobile import register_mobile, send_mobile_reminders, settled_away
from xianfeng.transfers.models import MobileMember


@pytest.fixture
def away(world):
    return register_mobile(
        world.member, actor=None, place="上海市浦东新区", since=date(2024, 3, 1), reason="work"
    )


@pytest.mark.parametrize(
    ("since", "due"),
    [
        (date(2024, 3, 1), date(2024, 9, 1)),
        (date(2024, 8, 31), date(2025, 2, 28)),
        (date(2023, 8, 31), date(2024, 2, 29)),
    ],
)
def test_six_months_edge_and_cutoff_agree(since, due):
    assert rules.transfer_due_on(since) == due
    assert rules.transfer_cutoff(due) >= since
    assert rules.transfer_cutoff(date.fromordinal(due.toordinal() - 1)) < since


def test_the_rule_row_cites_its_article():
    (row, _reminder) = rules.rules_table()
    assert row.value == 6 and "第二十五条" in row.source and "地点相对固定" in row.source


def test_settled_at_exactly_six_months_not_a_day_before(world, away):
    records = MobileMember.objects.all()
    assert not settled_away(records, date(2024, 8, 31)).exists()
    assert list(settled_away(records, date(2024, 9, 1))) == [away]


def test_a_member_without_a_fixed_place_or_back_home_is_not_reminded(world, away):
    roaming = register_mobile(
        make_member(world.branch, "跑运输"),
        actor=None,
        place="各地",
        since=date(2024, 1, 1),
        reason="work",
        fixed_place=False,
    )
    assert list(settled_away(MobileMember.objects.all(), date(2025, 1, 1))) == [away]
    assert roaming.pk


def test_reminders_before_and_on_the_day_once_each(world, away, settings):
    settings.XIANFENG_STANDING_REMIND_DAYS = 30
    secretary = world.users["branch_secretary"]
    assert send_mobile_reminders(date(2024, 8, 1)) == 0  # 31 days before
    send_mobile_reminders(date(2024, 8, 2))
    send_mobile_reminders(date(2024, 8, 20))
    titles = list(Notice.objects.filter(recipient=secretary).values_list("title", flat=True))
    assert titles == ["流动党员张三将于2024-09-01在外满6个月"]
    send_mobile_reminders(date(2024, 9, 1))
    send_mobile_reminders(date(2024, 9, 2))
    assert Notice.objects.filter(recipient=secretary, title__contains="已于").count() == 1


def test_workbench_before_and_at_the_edge(world, away, settings):
    settings.XIANFENG_STANDING_REMIND_DAYS = 30
    user = world.users["branch_secretary"]
    kinds = {i.kind: i.count for i in todo_for(user, date(2024, 8, 31))}
    assert kinds.get("transfers.mobile_soon") == 1 and "transfers.mobile_due" not in kinds
    kinds = {i.kind: i.count for i in todo_for(user, date(2024, 9, 1))}
    assert kinds.get("transfers.mobile_due") == 1 and "transfers.mobile_soon" not in kinds
    outsider = {i.kind for i in todo_for(world.users["outsider"], date(2024, 9, 1))}
    assert "transfers.mobile_due" not in outsider


def test_the_list_marks_who_should_move(world, away, client):
    client.force_login(world.users["branch_secretary"])
    assert "应转移组织关系" in client.get("/transfers/mobile/").content.decode()
