from datetime import date

from django.utils import timezone

from xianfeng.grid.models import Grid, GridStaff, Household, ServiceActivity, Visit


def test_grid_worker_browser_starts_at_own_grid(gw, login):
    html = login(gw.worker).get("/grid/").content.decode()
    assert "第一网格" in html and "第二网格" not in html and "瑞祥社区</a>" not in html
    assert "新增社区/村网格" not in html


def test_street_admin_sees_community_tree(world, gw, login):
    html = login(world.users["street_admin"]).get("/grid/").content.decode()
    assert "瑞祥社区" in html and "十里堡村" not in html
    children = login(world.users["street_admin"]).get(f"/grid/{gw.community.pk}/children/")
    assert "第二网格" in children.content.decode()


def test_search_stays_in_scope(world, gw, login):
    html = login(world.users["outsider"]).get("/grid/?q=瑞祥").content.decode()
    assert "查找结果（0 个）" in html


def test_detail_shows_people_and_chain(gw, login):
    html = login(gw.worker).get(f"/grid/{gw.building1.pk}/").content.decode()
    assert "赵美菊" in html and "楼栋党小组" in html and "/r/RX-01-01/" in html


def test_household_phone_masked_without_contact_perm(world, gw, login):
    Household.objects.create(grid=gw.grid1, address="5号楼", head_name="王", phone="13800001234")
    worker = login(gw.worker).get(f"/grid/{gw.grid1.pk}/").content.decode()
    assert "13800001234" in worker  # grid workers visit: they see the number
    observer = login(world.users["observer"]).get(f"/grid/{gw.grid1.pk}/").content.decode()
    assert "13800001234" not in observer and "138****1234" in observer


def test_create_child_grid_form(world, gw, login):
    client = login(world.users["street_admin"])
    response = client.post(
        f"/grid/{gw.grid2.pk}/new/",
        {"code": "RX-02-01", "name": "5号楼", "kind": "building", "geometry": "null"},
    )
    grid = Grid.objects.get(code="RX-02-01")
    assert response.status_code == 302 and grid.scope_org == gw.general_branch


def test_grid_form_errors_are_chinese_and_keep_input(world, gw, login):
    client = login(world.users["street_admin"])
    response = client.post(
        f"/grid/{gw.grid2.pk}/new/",
        {"code": "RX-01", "name": "重复", "kind": "building", "geometry": '{"type": "Foo"}'},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "GeoJSON" in html and "重复" in html
    response = client.post(
        f"/grid/{gw.grid2.pk}/new/", {"code": "RX-01", "name": "重复", "kind": "building"}
    )
    assert "网格编码 RX-01 已被使用" in response.content.decode()
    response = client.post(
        f"/grid/{gw.grid2.pk}/new/", {"code": "a b", "name": "x", "kind": "zone"}
    )
    assert "编码只能包含字母" in response.content.decode()


def test_grid_worker_cannot_create_root_but_can_edit_own(gw, login):
    client = login(gw.worker)
    assert client.get("/grid/new/").status_code == 403
    response = client.post(
        f"/grid/{gw.building2.pk}/edit/",
        {"code": "RX-01-02", "name": "2号楼（东）", "kind": "building", "address": "瑞祥路2号"},
    )
    assert response.status_code == 302
    gw.building2.refresh_from_db()
    assert gw.building2.name == "2号楼（东）"
    assert client.get(f"/grid/{gw.grid2.pk}/edit/").status_code == 404


def test_staff_form_links_login(world, gw, login):
    client = login(world.users["street_admin"])
    response = client.post(
        f"/grid/{gw.grid2.pk}/staff/new/",
        {"role": gw.role.pk, "name": "李网格", "username": "nobody", "started_on": "2024-05-01"},
    )
    assert "没有这个登录账号" in response.content.decode()
    response = client.post(
        f"/grid/{gw.grid2.pk}/staff/new/",
        {
            "role": gw.role.pk,
            "name": "姜君",
            "username": gw.worker.username,
            "started_on": "2024-05-01",
        },
    )
    assert response.status_code == 302
    assert GridStaff.objects.filter(grid=gw.grid2, user=gw.worker).exists()
    gw.worker.refresh_from_db()
    assert login(gw.worker).get(f"/grid/{gw.grid2.pk}/").status_code == 200


def test_staff_end_form(world, gw, login):
    client = login(world.users["street_admin"])
    response = client.post(f"/grid/staff/{gw.worker_staff.pk}/end/", {"ended_on": "2020-01-01"})
    assert "离岗日期不能早于上岗日期" in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(f"/grid/staff/{gw.worker_staff.pk}/end/", {"ended_on": today})
    assert response.status_code == 302


def test_household_and_visit_pages(gw, login):
    client = login(gw.worker)
    response = client.post(
        f"/grid/{gw.building1.pk}/households/new/",
        {
            "address": "1号楼3单元201",
            "head_name": "荆永义",
            "size": 2,
            "tags": ["veteran", "elderly"],
        },
    )
    household = Household.objects.get(address="1号楼3单元201")
    assert response.status_code == 302
    page = client.get(f"/grid/household/{household.pk}/").content.decode()
    assert "退役军人" in page and "登记走访" in page
    data = {"visited_on": "2024-06-01", "visitor_name": "姜君", "found": "房屋漏水", "key": "abc"}
    client.post(f"/grid/household/{household.pk}/visit/", data)
    client.post(f"/grid/household/{household.pk}/visit/", data)
    assert Visit.objects.filter(household=household).count() == 1
    bad = client.post(f"/grid/household/{household.pk}/visit/", {"visitor_name": "x"}, follow=True)
    assert "走访日期" in bad.content.decode() or "必填" in bad.content.decode()


def test_activity_form_and_list(gw, login):
    client = login(gw.worker)
    form = client.get(f"/grid/{gw.grid1.pk}/activities/new/").content.decode()
    assert 'name="key"' in form
    data = {
        "title": "政策宣传进楼栋",
        "kind": "publicity",
        "held_on": "2024-04-02",
        "place": "1号楼",
        "residents_served": 40,
        "problems_solved": 2,
        "members": [gw.central.member.pk],
        "key": "k",
    }
    assert client.post(f"/grid/{gw.grid1.pk}/activities/new/", data).status_code == 302
    assert client.post(f"/grid/{gw.grid1.pk}/activities/new/", data).status_code == 302
    assert ServiceActivity.objects.count() == 1
    listing = client.get(f"/grid/{gw.grid1.pk}/activities/").content.decode()
    assert "政策宣传进楼栋" in listing
    assert client.get(f"/grid/{gw.grid2.pk}/activities/new/").status_code == 404


def test_activity_in_future_is_refused(gw, login):
    data = {
        "title": "x",
        "kind": "service",
        "held_on": date(2999, 1, 1).isoformat(),
        "residents_served": 0,
        "problems_solved": 0,
        "key": "z",
    }
    response = login(gw.worker).post(f"/grid/{gw.grid1.pk}/activities/new/", data)
    assert "活动日期不能晚于今天" in response.content.decode()


def test_cross_street_rows_are_404(world, gw, login):
    h = Household.objects.create(grid=gw.grid1, address="9", head_name="x")
    outsider = login(world.users["outsider"])
    assert outsider.get(f"/grid/household/{h.pk}/").status_code == 404
    assert outsider.get(f"/grid/staff/{gw.worker_staff.pk}/end/").status_code == 404
    assert outsider.post(f"/grid/central/{gw.central.pk}/end/").status_code == 404
