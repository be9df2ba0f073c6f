from xianfeng.grid.boards import qr_svg
from xianfeng.grid.models import Household

from .qr import decode_page, decode_svg


def test_qr_svg_decodes_to_its_url():
    url = "https://xianfeng.example.cn/r/RX-01-01/"
    assert decode_svg(str(qr_svg(url))) == url


def test_board_qr_opens_the_zone_request_page(gw, login, settings):
    settings.ALLOWED_HOSTS = ["wangge.example.cn"]
    client = login(gw.worker)
    response = client.get(f"/grid/{gw.building1.pk}/board/", HTTP_HOST="wangge.example.cn")
    assert response.status_code == 200
    html = response.content.decode()
    assert decode_page(html) == "http://wangge.example.cn/r/RX-01-01/"
    assert "赵美菊" in html and "党员中心户" in html
    assert "姜君" in html  # the grid's staff above the building


def test_board_masks_phones_by_default(gw, login):
    phone = gw.central.member.phone
    html = login(gw.worker).get(f"/grid/{gw.building1.pk}/board/").content.decode()
    assert phone not in html
    assert phone[:3] + "****" + phone[-4:] in html


def test_board_contact_setting(gw, login, settings):
    phone = gw.central.member.phone
    settings.GRID_BOARD_CONTACT = "full"
    assert phone in login(gw.worker).get(f"/grid/{gw.building1.pk}/board/").content.decode()
    settings.GRID_BOARD_CONTACT = "hidden"
    html = login(gw.worker).get(f"/grid/{gw.building1.pk}/board/").content.decode()
    assert phone[-4:] not in html


def test_board_a3(gw, login):
    html = login(gw.worker).get(f"/grid/{gw.building1.pk}/board/?size=A3").content.decode()
    assert "size: A3" in html


def test_door_plates(gw, login):
    Household.objects.create(
        grid=gw.building1, address="1号楼2单元302", head_name="王", is_party_household=True
    )
    Household.objects.create(grid=gw.building1, address="1号楼2单元303", head_name="李")
    # The 中心户's own home gets the 中心户 plate only.
    Household.objects.create(
        grid=gw.building1, address=gw.central.address, head_name="赵", is_party_household=True
    )
    html = login(gw.worker).get(f"/grid/{gw.grid1.pk}/plates/").content.decode()
    assert html.count('class="plate"') == 2  # the 中心户 and the one party household
    assert "1号楼2单元302" in html and "1号楼2单元303" not in html
    assert "共产党员户" in html and "党员中心户" in html


def test_other_grid_board_is_404_for_grid_worker(gw, login):
    assert login(gw.worker).get(f"/grid/{gw.grid2.pk}/board/").status_code == 404
