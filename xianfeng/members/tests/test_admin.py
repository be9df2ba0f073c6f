def test_admin_member_list_is_masked(world, login):
    response = login(world.users["admin"]).get("/django-admin/members/member/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "139****5678" in body and "13912345678" not in body
    assert world.member.id_number not in body


def test_admin_member_change_page(world, login):
    client = login(world.users["admin"])
    assert client.get(f"/django-admin/members/member/{world.member.pk}/change/").status_code == 200
    assert client.get("/django-admin/members/member/", {"q": "zs"}).status_code == 200
