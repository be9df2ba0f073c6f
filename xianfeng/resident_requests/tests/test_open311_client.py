"""Open311 as an outside client meets it: the `georeport` package (GETs) and plain HTTP (POST,
which the package lacks) against a live server, in JSON and XML."""

from datetime import datetime

import pytest
import requests
import time_machine
from django.utils import timezone
from georeport import GeoReport

from .. import services
from ..models import CategoryAttribute, Channel, Datatype, RequestPhoto, ResidentRequest
from ..open311 import create_key
from ..testing import central_login, make_category, make_request


@pytest.fixture
def server(live_server, gw):
    category = make_category(checklist=("身份证", "近 14 天行程说明"))
    CategoryAttribute.objects.create(
        category=category,
        code="seen_at",
        description="发现时间",
        datatype=Datatype.DATETIME,
        required=False,
        order=0,
    )
    _row, key = create_key("区12345热线", organization=gw.general_branch)
    root = f"{live_server.url}/open311/v2"
    return root, key, category


def post(root, fmt="json", **data):
    return requests.post(f"{root}/requests.{fmt}", data=data, timeout=10)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_package_reads_services_and_their_definitions(server, fmt):
    root, _key, category = server
    client = GeoReport(root, output_format=fmt)
    services_ = client.get_service_list()
    service = services_ if isinstance(services_, dict) else services_[0]
    assert service["service_code"] == category.code
    definition = client.get_service_definition(category.code)
    attribute = (
        definition["attributes"][0] if fmt == "json" else definition["attributes"]["attribute"]
    )
    assert str(attribute["order"]) == "1", "the spec counts attributes from 1"


def test_lat_long_alone_and_address_alone_are_complete(server):
    root, key, category = server
    by_point = post(root, api_key=key, service_code=category.code, lat="36.6", long="117.1")
    by_address = post(root, api_key=key, service_code=category.code, address_string="瑞祥路1号")
    assert (by_point.status_code, by_address.status_code) == (201, 201)
    assert "token" not in by_point.json()[0], "an id or a token, never both"


def test_a_long_description_media_url_and_chinese_names_come_back(server):
    root, key, category = server
    answer = post(
        root,
        api_key=key,
        service_code=category.code,
        address_string="瑞祥路1号",
        description="灯" * 4000,
        media_url="https://img.example.cn/a.jpg",
        first_name="魁",
        last_name="王",
        **{"attribute[seen_at]": "2026-12-03T20:15:00+08:00"},
    )
    assert answer.status_code == 201, answer.text
    row = answer.json()[0]
    got = GeoReport(root).get_service_request(row["service_request_id"])
    assert got["description"] == "灯" * 4000
    assert got["media_url"] == "https://img.example.cn/a.jpg"
    assert got["service_notice"] == row["service_notice"] == "身份证；近 14 天行程说明"
    req = ResidentRequest.objects.get(tracking_code=row["service_request_id"])
    assert req.resident_name == "王魁"
    assert "王魁" not in requests.get(f"{root}/requests.json", timeout=10).text


@pytest.mark.parametrize(
    "data",
    [
        {"lat": "NaN", "long": "117.1"},
        {"address_string": "x", "attribute[seen_at]": "2026-02-30T00:00:00Z"},
        {"address_string": "x", "attribute[seen_at]": "2026-01-01T25:00:00Z"},
    ],
)
def test_impossible_values_answer_400_with_the_errors_array(server, data):
    root, key, category = server
    answer = post(root, api_key=key, service_code=category.code, **data)
    assert answer.status_code == 400
    assert answer.json()[0]["code"] == 400
    assert not ResidentRequest.objects.exists()


@pytest.mark.parametrize("date", ["2026-02-30T00:00:00Z", "2026-01-01T25:00:00Z"])
def test_impossible_search_dates_answer_400(server, date):
    root, _key, _category = server
    with pytest.raises(requests.HTTPError) as caught:
        GeoReport(root).get_service_requests(start_date=date)
    assert caught.value.response.status_code == 400
    assert "start_date" in caught.value.response.json()[0]["description"]


def at(*args):
    return timezone.make_aware(datetime(*args))


def test_the_public_get_publishes_only_what_residents_may_see(server, gw):
    root, key, category = server
    zhao = central_login(gw)
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False):
        shown = make_request(grid=gw.building1, category=category, address="瑞祥小区1号楼2单元302")
        RequestPhoto.objects.create(
            request=shown, image="requests/p.jpg", content_type="image/jpeg"
        )
        staff = make_request(grid=gw.building1, category=category, channel=Channel.PHONE)
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        services.accept_request(shown, actor=zhao)
    with time_machine.travel(at(2026, 11, 2, 11, 0), tick=False):
        services.solve_request(shown, actor=zhao, note="已更换楼道灯")
    with time_machine.travel(at(2026, 11, 2, 12, 0), tick=False):
        services.rate_request(shown, rating=2, comment="态度差的网格员")
    client = GeoReport(root)
    rows = client.get_service_requests(start_date="2026-11-01T00:00:00+08:00")
    assert [r["service_request_id"] for r in rows] == [shown.tracking_code]
    row = rows[0]
    assert row["address"] == "1号楼", "the building grid, not the flat"
    assert row["status"] == "closed"
    assert row["status_notes"] == "已更换楼道灯", "the handler's note, not the rating comment"
    assert row["updated_datetime"].startswith("2026-11-02T11:00:00")
    assert row["media_url"] == "", "a photo the resident did not mark public"
    assert client.get_service_requests(service_request_id=staff.tracking_code) == []
    # With the key, the office's own client reads its organization's requests in full.
    full = requests.get(
        f"{root}/requests.json",
        params={"api_key": key, "start_date": "2026-11-01T00:00:00+08:00"},
        timeout=10,
    ).json()
    assert {r["service_request_id"] for r in full} == {shown.tracking_code, staff.tracking_code}
