"""Issue 19 §4: the most used pages cost a fixed number of queries, whatever the rows, and the
per-page caches (menu targets, granted paths, choice labels) give the same answers as before.

bench/whole_pages.py measures the time; here only query counts and content are asserted."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xianfeng.accounts.models import RoleGrant
from xianfeng.accounts.navigation import menu_for
from xianfeng.accounts.roles import Perm, Role
from xianfeng.accounts.scoping import forget_grants, granted_paths, has_perm_anywhere
from xianfeng.core.choices import choice_label, choice_labels
from xianfeng.meetings.models import Meeting, MeetingStatus
from xianfeng.meetings.rules import MeetingKind
from xianfeng.meetings.tests.factories import meeting
from xianfeng.members.models import Gender, Member, MemberTag
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    client.get(url)  # warm: the session's first save, per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_member_list_queries_do_not_grow_with_rows(world, login):
    client = login(world.users["street_admin"])
    url = f"/members/?org={world.branch.pk}"
    before, _ = count_queries(client, url)
    mobile = MemberTag.objects.get(code="mobile")
    for i in range(30):
        m = make_member(world.group, f"新党员{i}", gender=Gender.FEMALE)
        m.tags.add(mobile)
    after, body = count_queries(client, url)
    assert after == before
    assert "新党员29" in body
    # the labels the rows used to get from get_FOO_display and per-row {% translate %}
    new = Member.objects.get(name="新党员29")
    assert f'<a href="/members/{new.pk}/">新党员29</a>' in body
    assert new.get_gender_display() in body and new.get_category_display() in body
    assert 'data-label="所在党组织"' in body


def test_meeting_list_queries_do_not_grow_with_rows(world, login):
    client = login(world.users["branch_secretary"])
    year = date.today().year
    url = f"/meetings/?org={world.branch.pk}&year={year}"
    meeting(world.branch, MeetingKind.GENERAL_ASSEMBLY, date(year, 1, 10), topic="第一次")
    before, _ = count_queries(client, url)
    for i in range(20):
        meeting(world.branch, MeetingKind.PARTY_LECTURE, date(year, 1, 11 + i), topic=f"会议{i}")
    after, body = count_queries(client, url)
    assert after == before
    m = Meeting.objects.get(topic="会议19")
    assert f'<a href="/meetings/{m.pk}/">会议19</a>' in body
    assert m.get_kind_display() in body and m.get_status_display() in body
    assert 'data-label="主题"' in body


def test_choice_labels_match_get_display(world):
    m = meeting(world.branch, MeetingKind.PARTY_LECTURE, date(2025, 3, 1), held=False)
    assert m.kind_label == m.get_kind_display()
    assert m.status_label == m.get_status_display()
    m.status = MeetingStatus.HELD
    assert m.status_label == m.get_status_display()
    assert choice_label(world.member, "gender") == world.member.get_gender_display()
    assert choice_labels(Member, "status")[world.member.status] == (
        world.member.get_status_display()
    )


def test_granted_paths_memo_follows_grant_changes(world):
    user = world.users["branch_secretary"]
    assert granted_paths(user, Perm.MEMBER_VIEW) == (world.branch.path,)
    grant = RoleGrant.objects.create(user=user, organization=world.street, role=Role.STREET_ADMIN)
    assert granted_paths(user, Perm.MEMBER_VIEW) == (world.branch.path,)  # cached this request
    forget_grants(user)
    assert granted_paths(user, Perm.MEMBER_VIEW) == (world.street.path,)
    grant.delete()
    forget_grants(user)
    assert granted_paths(user, Perm.MEMBER_VIEW) == (world.branch.path,)
    assert not has_perm_anywhere(world.users["member"], Perm.MEMBER_CHANGE)


def test_menu_is_the_same_for_each_user_after_caching(world):
    first = {role: menu_for(user) for role, user in world.users.items()}
    again = {role: menu_for(user) for role, user in world.users.items()}
    assert first == again
    assert first["admin"] != first["member"]


def test_menu_queries_once_a_request(world, login):
    client = login(world.users["street_admin"])
    with CaptureQueriesContext(connection) as ctx:
        client.get("/members/")
    grant_reads = [q for q in ctx.captured_queries if "accounts_rolegrant" in q["sql"]]
    assert len(grant_reads) == 1


def test_dues_sheet_queries_do_not_grow_with_rows(world, login):
    client = login(world.users["street_admin"])
    url = f"/dues/org/{world.branch.pk}/"
    before, _ = count_queries(client, url)
    for i in range(20):
        make_member(
            world.branch, f"交费党员{i}", category="probationary", joined_on=date(2026, 1, 1)
        )
    after, body = count_queries(client, url)
    assert after == before
    new = Member.objects.get(name="交费党员19")
    assert f'<a href="/dues/member/{new.pk}/">交费党员19</a>' in body
    assert new.get_category_display() in body and 'data-label="欠交月数"' in body
