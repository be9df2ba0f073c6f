def test_list_is_scoped(world, gw, api):
    codes = {g["code"] for g in api(gw.worker).get("/api/v1/grids/").json()["results"]}
    assert codes == {"RX-01", "RX-01-01", "RX-01-02"}
    codes = {
        g["code"] for g in api(world.users["outsider"]).get("/api/v1/grids/").json()["results"]
    }
    assert codes == {"SLB"}


def test_detail_and_children(world, gw, api):
    client = api(world.users["street_admin"])
    data = client.get(f"/api/v1/grids/{gw.building1.pk}/").json()
    assert data["parent"] == gw.grid1.pk and data["organization_name"] == "1号楼党小组"
    assert data["kind_label"] == "楼栋"
    kids = client.get(f"/api/v1/grids/{gw.grid1.pk}/children/").json()["results"]
    assert [k["code"] for k in kids] == ["RX-01-01", "RX-01-02"]
    assert client.get(f"/api/v1/grids/?under={gw.grid1.pk}").json()["count"] == 3
    assert client.get("/api/v1/grids/?search=rx-02").json()["count"] == 1


def test_chain(world, gw, api):
    steps = api(gw.worker).get(f"/api/v1/grids/{gw.building1.pk}/chain/").json()
    assert [s["level"] for s in steps] == [
        "central_household",
        "building",
        "grid",
        "community",
        "street",
    ]
    assert (
        steps[0]["member"] == gw.central.member.pk and steps[-1]["organization"] == world.street.pk
    )


def test_outside_is_404(world, gw, api):
    assert api(gw.worker).get(f"/api/v1/grids/{gw.grid2.pk}/").status_code == 404
    assert (
        api(world.users["outsider"]).get(f"/api/v1/grids/{gw.grid1.pk}/chain/").status_code == 404
    )
    assert api(gw.worker).get("/api/v1/grids/abc/").status_code == 404
