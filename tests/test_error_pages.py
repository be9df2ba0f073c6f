"""403, 404 and 500 in the product's style and language, with the menu and a way back."""

from django.test import RequestFactory
from django.views.defaults import server_error


def test_403_keeps_the_menu_and_a_way_back(world, login):
    client = login(world.users["member"])
    response = client.get("/orgs/", HTTP_REFERER="http://testserver/members/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "没有权限访问此页面" in html
    assert 'class="mainnav"' in html and "我的积分" in html
    assert 'href="/"' in html and "回到工作台" in html
    assert 'href="http://testserver/members/"' in html  # back where they came from
    assert "Forbidden" not in html


def test_403_never_links_back_to_another_site(world, login):
    client = login(world.users["member"])
    html = client.get("/orgs/", HTTP_REFERER="https://evil.example/x").content.decode()
    assert "evil.example" not in html


def test_404_says_missing_or_not_yours(world, login):
    client = login(world.users["branch_secretary"])
    response = client.get(f"/members/{world.other_member.pk}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在或无权查看" in html
    assert "党员不存在或无权查看" in html  # the lookup's own message
    assert 'class="mainnav"' in html


def test_404_hides_english_internals(world, login):
    html = login(world.users["street_admin"]).get("/no-such-page/").content.decode()
    assert "页面不存在或无权查看" in html
    assert "Resolver404" not in html and "tried" not in html


def test_500_page_is_ours(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统暂时出错了" in html and "回到工作台" in html
