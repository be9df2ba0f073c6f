import re

import pytest

from xianfeng.members import views
from xianfeng.members.models import Category, Gender, Member, MemberTag
from xianfeng.testing import make_member

URL = "/members/"
COUNT_URL = "/members/count/"


def names(response):
    body = response.content.decode()
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    return set(re.findall(r'/members/\d+/">([^<]+)</a>', table))


@pytest.mark.parametrize("query", ["zs", "zhangsan", "ZhangSan", "張三", "张", "5678"])
def test_search_finds_zhangsan(world, login, query):
    response = login(world.users["street_admin"]).get(URL, {"q": query})
    assert response.status_code == 200
    assert "张三" in names(response)
    assert "王五" not in names(response)


def test_search_by_id_last_four(world, login):
    response = login(world.users["street_admin"]).get(URL, {"q": world.member.id_number[-4:]})
    assert "张三" in names(response)


def test_filters(world, login):
    client = login(world.users["street_admin"])
    assert names(client.get(URL, {"category": Category.PROBATIONARY})) == {"王五"}
    assert names(client.get(URL, {"gender": Gender.FEMALE})) == {"李四", "李五", "李六"}
    assert names(client.get(URL, {"org": world.branch2.pk})) == {"王五"}
    world.member.tags.add(MemberTag.objects.get(code="mobile"))
    assert names(client.get(URL, {"tag": "mobile"})) == {"张三"}


def test_org_filter_covers_subtree(world, login):
    make_member(world.group, "刘七")
    response = login(world.users["street_admin"]).get(URL, {"org": world.branch.pk})
    assert names(response) == {"张三", "李四", "李五", "李六", "刘七"}
    count = login(world.users["street_admin"]).get(COUNT_URL, {"org": world.branch.pk})
    assert "共 5 条" in count.content.decode()


def test_the_page_fetches_its_total_separately(world, login):
    body = login(world.users["street_admin"]).get(URL, {"org": world.branch.pk}).content.decode()
    assert f'hx-get="{COUNT_URL}?org={world.branch.pk}"' in body


def test_inactive_members_only_when_asked(world, login):
    Member.objects.filter(pk=world.member.pk).update(status="deceased")
    client = login(world.users["street_admin"])
    assert "张三" not in names(client.get(URL))
    assert names(client.get(URL, {"status": "deceased"})) == {"张三"}


def test_outsider_sees_only_own_street(world, login):
    response = login(world.users["outsider"]).get(URL)
    assert names(response) == {"赵六"}
    assert names(login(world.users["outsider"]).get(URL, {"org": world.branch.pk})) == set()


def test_street_admin_does_not_see_other_street(world, login):
    assert "赵六" not in names(login(world.users["street_admin"]).get(URL))


def test_linked_member_sees_only_self(world, login):
    assert names(login(world.users["member"]).get(URL)) == {"张三"}


def test_anonymous_redirected_to_login(client, world):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize(
    "role",
    ["street_admin", "branch_secretary", "member", "grid_worker", "observer"],
)
def test_list_is_masked_for_every_role(world, login, role):
    body = login(world.users[role]).get(URL, {"q": "zs"}).content.decode()
    assert "13912345678" not in body and "139****5678" in body
    number = world.member.id_number
    assert number not in body and number[6:16] not in body
    assert f"{number[:6]}{'*' * 10}{number[-2:]}" in body


def test_export_link_keeps_query_only_for_exporters(world, login):
    body = login(world.users["observer"]).get(URL, {"q": "zs"}).content.decode()
    assert "/excel/export/members/?" in body and "q=zs" in body
    body = login(world.users["grid_worker"]).get(URL).content.decode()
    assert "导出 Excel" not in body


@pytest.fixture
def many(world):
    return [make_member(world.branch2, f"成员{i:02d}") for i in range(60)]


def test_keyset_pages(world, login, many):
    client = login(world.users["street_admin"])
    first = client.get(URL, {"org": world.branch2.pk})
    assert len(names(first)) == views.PAGE_SIZE and "王五" in names(first)
    nxt = re.search(r'href="\?([^"]*after=\d+[^"]*)" rel="next"', first.content.decode())
    second = client.get(URL + "?" + nxt.group(1).replace("&amp;", "&"))
    assert names(second) == {m.name for m in many[-11:]}
    assert 'rel="next"' not in second.content.decode()
    last = client.get(URL, {"org": world.branch2.pk, "page": "last"})
    assert names(last) == {m.name for m in many[-views.PAGE_SIZE :]}
    assert 'rel="prev"' in last.content.decode() and 'rel="next"' not in last.content.decode()
    before = min(m.pk for m in many[-11:])
    previous = client.get(URL, {"org": world.branch2.pk, "before": before})
    assert names(previous) == names(first)
    assert 'rel="prev"' not in previous.content.decode()


def test_total_capped_when_filters_beyond_org(world, login, many, monkeypatch):
    monkeypatch.setattr(views, "COUNT_CAP", 20)
    client = login(world.users["street_admin"])
    assert "共 61 条" in client.get(COUNT_URL, {"org": world.branch2.pk}).content.decode()
    assert "20+ 条" in client.get(COUNT_URL, {"q": "cy"}).content.decode()
    assert "共 1 条" in client.get(COUNT_URL, {"q": "zs"}).content.decode()


@pytest.mark.parametrize("count", [10, 60])
def test_query_count_constant(world, login, django_assert_max_num_queries, count):
    for i in range(count):
        member = make_member(world.branch, f"批量{i:02d}")
        member.tags.add(MemberTag.objects.get(code="mobile"))
    client = login(world.users["street_admin"])
    with django_assert_max_num_queries(10):
        assert client.get(URL, {"org": world.branch.pk}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(URL, {"q": "pl", "page": "last"}).status_code == 200
