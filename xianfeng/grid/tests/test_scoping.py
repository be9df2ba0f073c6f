import pytest
from django.http import Http404

from xianfeng.accounts.roles import Perm
from xianfeng.grid.scoping import get_grid_for_user, scope_grids
from xianfeng.grid.services import update_grid
from xianfeng.grid.testing import make_grid


def _codes(user, perm=Perm.GRID_VIEW):
    return set(scope_grids(user, perm).values_list("code", flat=True))


def test_scope_org_is_own_link_or_nearest_ancestors(gw):
    assert gw.building1.scope_org == gw.building_group
    assert gw.building2.scope_org == gw.grid_branch
    assert gw.grid2.scope_org == gw.general_branch


def test_street_roles_see_their_street_grids_only(world, gw):
    everything = {"RX", "RX-01", "RX-02", "RX-01-01", "RX-01-02"}
    assert _codes(world.users["street_admin"]) == everything
    assert _codes(world.users["observer"]) == everything
    assert _codes(world.users["outsider"]) == {"SLB"}
    assert _codes(world.users["admin"]) == everything | {"SLB"}
    assert _codes(world.users["member"]) == set()


def test_grid_worker_sees_only_own_grid_and_below(gw):
    assert _codes(gw.worker) == {"RX-01", "RX-01-01", "RX-01-02"}
    assert _codes(gw.worker, Perm.GRID_CHANGE) == {"RX-01", "RX-01-01", "RX-01-02"}


def test_grid_worker_cannot_open_another_grid(gw):
    with pytest.raises(Http404):
        get_grid_for_user(gw.worker, gw.grid2.pk)
    with pytest.raises(Http404):
        get_grid_for_user(gw.worker, gw.community.pk)
    assert get_grid_for_user(gw.worker, gw.building2.pk) == gw.building2


def test_ended_post_closes_the_grid(gw):
    gw.worker_staff.ended_on = gw.worker_staff.started_on
    gw.worker_staff.save()
    gw.worker.refresh_from_db()
    assert _codes(gw.worker) == set()


def test_grid_worker_grant_elsewhere_does_not_open_own_post_there(world, gw):
    # A staff post in the other street does not widen a grant held in this street.
    from xianfeng.grid.testing import make_staff

    make_staff(gw.other_community, gw.role, "姜君", user=gw.worker)
    assert "SLB" not in _codes(gw.worker)


def test_relinking_rescopes_the_subtree(world, gw):
    update_grid(gw.grid1, actor=None, organization=world.other_branch)
    gw.building2.refresh_from_db()
    assert gw.building2.scope_org == world.other_branch
    assert "RX-01-02" not in _codes(world.users["street_admin"])
    assert "RX-01-02" in _codes(world.users["outsider"])


def test_unlinked_tree_is_seen_by_superuser_only(world, db):
    make_grid("无主社区", kind="community", code="NONE")
    assert "NONE" not in _codes(world.users["street_admin"])
    assert "NONE" in _codes(world.users["admin"])


def test_bad_pk_is_404(gw):
    with pytest.raises(Http404):
        get_grid_for_user(gw.worker, "abc")
