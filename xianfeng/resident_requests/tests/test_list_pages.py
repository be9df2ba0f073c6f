"""The request list: "共 N 条", page links that keep the filters, and the workbench filters."""

from django.urls import reverse

from ..testing import make_category, make_request


def test_list_counts_and_pages_keep_filters(world, login):
    category = make_category(code="lamp")
    for _ in range(51):
        make_request(organization=world.branch, category=category)
    client = login(world.users["branch_secretary"])
    html = client.get(reverse("requests:list"), {"status": "new"}).content.decode()
    assert "共 51 条" in html
    assert "?status=new&amp;page=2" in html


def test_at_my_level_filter(world, login):
    category = make_category(code="lamp")
    make_request(organization=world.branch, category=category)
    make_request(organization=world.branch2, category=category)
    branch = login(world.users["branch_secretary"])
    assert "共 1 条" in branch.get(reverse("requests:list"), {"at": "me"}).content.decode()
    street = login(world.users["street_admin"])
    html = street.get(reverse("requests:list"), {"at": "me"}).content.decode()
    assert "共 0 条" in html  # both wait at their branches, not at the street
    assert "共 2 条" in street.get(reverse("requests:list")).content.decode()
