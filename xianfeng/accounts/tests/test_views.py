from django.urls import reverse

from xianfeng.accounts.models import User


def test_user_list_shows_only_users_in_scope(login, world):
    client = login(world.users["street_admin"])
    body = client.get(reverse("accounts:user_list")).content.decode()
    assert "branch_secretary" in body
    assert "outsider" not in body


def test_outsider_user_detail_is_404(login, world):
    client = login(world.users["street_admin"])
    resp = client.get(reverse("accounts:user_detail", args=[world.users["outsider"].pk]))
    assert resp.status_code == 404


def test_branch_secretary_cannot_manage_users(login, world):
    client = login(world.users["branch_secretary"])
    assert client.get(reverse("accounts:user_list")).status_code == 403


def test_create_user_through_the_form(login, world):
    client = login(world.users["street_admin"])
    resp = client.post(
        reverse("accounts:user_create"),
        {
            "username": "wanggeyuan2",
            "password": "hongqi-2026-piao",
            "role": "grid_worker",
            "organization": world.branch2.pk,
        },
    )
    assert resp.status_code == 302
    assert User.objects.get(username="wanggeyuan2").grants.get().organization == world.branch2


def test_create_user_form_errors_in_chinese(login, world):
    client = login(world.users["street_admin"])
    resp = client.post(reverse("accounts:user_create"), {"username": "a", "password": "x"})
    body = resp.content.decode()
    assert "用户名只能包含" in body


def test_grant_form_offers_only_orgs_in_scope(login, world):
    client = login(world.users["street_admin"])
    body = client.get(
        reverse("accounts:user_detail", args=[world.users["grid_worker"].pk])
    ).content.decode()
    assert 'data-ac="/search/suggest/?kind=org"' in body  # a searchable picker, not a list
    hits = client.get(reverse("core:suggest"), {"kind": "org", "q": "党支部"}).json()["results"]
    names = {hit["label"] for hit in hits}
    assert world.branch2.name in names
    assert world.other_branch.name not in names


def test_revoke_with_a_malformed_grant_id_is_404(login, world):
    client = login(world.users["street_admin"])
    url = reverse("accounts:grant_revoke", args=[world.users["grid_worker"].pk])
    assert client.post(url, {"grant": "abc"}).status_code == 404
