"""Open311 GeoReport v2, field by field as the spec (wiki.open311.org/GeoReport_v2) names them."""

import re
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from xianfeng.core.uploads import linked_name

from ..models import CategoryAttribute, Datatype, Open311Key, RequestPhoto, ResidentRequest
from ..open311 import create_key, hash_key
from ..testing import make_request

ISO_WITH_ZONE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$")
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def url(name, fmt="json", **kwargs):
    return reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})


@pytest.fixture
def floor(category):
    CategoryAttribute.objects.create(
        category=category,
        code="floor",
        description="所在楼层",
        datatype=Datatype.SINGLE,
        required=True,
        values=[{"key": "1", "name": "一层"}, {"key": "2", "name": "二层"}],
        order=1,
    )
    return category


@pytest.fixture
def key(gw):
    _row, raw = create_key("测试", organization=gw.general_branch)
    return raw


def test_discovery(client, db):
    data = client.get(url("discovery")).json()
    assert set(data) >= {"changeset", "contact", "key_service", "endpoints"}
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert ISO_WITH_ZONE.match(endpoint["changeset"])


def test_service_list_json_and_xml(client, floor):
    response = client.get(url("services"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    service = response.json()[0]
    assert list(service) == SERVICE_FIELDS
    assert service["service_code"] == floor.code and service["metadata"] is True
    assert service["type"] == "realtime"
    response = client.get(url("services", "xml"))
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(body.split("\n", 1)[1])
    assert root.tag == "services"
    assert [child.tag for child in root.find("service")] == SERVICE_FIELDS
    assert root.find("service/metadata").text == "true"


def test_service_definition(client, floor):
    data = client.get(url("service", code=floor.code)).json()
    assert data["service_code"] == floor.code
    attribute = data["attributes"][0]
    assert list(attribute) == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert attribute["datatype"] == "singlevaluelist" and attribute["required"] is True
    assert attribute["values"] == [{"key": "1", "name": "一层"}, {"key": "2", "name": "二层"}]
    root = ET.fromstring(client.get(url("service", "xml", code=floor.code)).content)
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key").text == "1"


def test_unknown_service_is_a_404_error_array(client, db):
    response = client.get(url("service", code="nope"))
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "service_code nope was not found"}]
    root = ET.fromstring(client.get(url("service", "xml", code="nope")).content)
    assert root.tag == "errors" and root.find("error/code").text == "404"


def test_post_request(client, floor, key, gw):
    response = client.post(
        url("requests"),
        {
            "api_key": key,
            "service_code": floor.code,
            "lat": "36.6512",
            "long": "117.1201",
            "address_string": "瑞祥小区1号楼",
            "address_id": gw.building1.code,
            "attribute[floor]": "2",
            "description": "楼道灯不亮",
            "first_name": "魁",
            "last_name": "王",
            "phone": "13900001111",
        },
    )
    assert response.status_code == 201
    row = response.json()[0]
    # Created in real time: the id, never a token as well.
    assert list(row) == ["service_request_id", "service_notice", "account_id"]
    req = ResidentRequest.objects.get(tracking_code=row["service_request_id"])
    assert req.channel == "open311" and req.grid == gw.building1
    assert req.attributes == {"floor": "2"} and req.resident_name == "王魁"
    assert str(req.lat) == "36.651200"
    assert row["service_notice"] == "身份证；近 14 天行程说明"


def test_post_without_grid_goes_to_the_keys_organization(client, category, key, gw):
    response = client.post(
        url("requests", "xml"),
        {
            "api_key": key,
            "service_code": category.code,
            "address_string": "瑞祥路1号",
            "description": "x",
        },
    )
    assert response.status_code == 201
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    req = ResidentRequest.objects.get(tracking_code=root.find("request/service_request_id").text)
    assert req.organization == gw.general_branch and req.grid is None


@pytest.mark.parametrize(
    ("changes", "status", "text"),
    [
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "wrong"}, 403, "Invalid api_key"),
        ({"service_code": ""}, 400, "service_code was not provided"),
        ({"service_code": "nope"}, 404, "not found"),
        ({"address_string": "", "address_id": ""}, 400, "lat and long"),
        ({"address_id": "NOPE"}, 400, "address_id"),
        ({"lat": "abc", "long": "1"}, 400, "lat must be a number"),
        ({"attribute[floor]": "9"}, 400, "floor"),
        ({"description": "灯" * 4001}, 400, "description"),
        ({"lat": "NaN", "long": "117.1"}, 400, "lat is out of range"),
        ({"lat": "Infinity", "long": "117.1"}, 400, "lat is out of range"),
        ({"lat": "36.6"}, 400, "lat and long must be given together"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ],
)
def test_post_errors(client, floor, key, gw, changes, status, text):
    data = {
        "api_key": key,
        "service_code": floor.code,
        "address_string": "x",
        "address_id": gw.building1.code,
        "attribute[floor]": "1",
        "description": "灯坏了",
        **changes,
    }
    response = client.post(url("requests"), data)
    assert response.status_code == status
    error = response.json()[0]
    assert error["code"] == status and text in error["description"]
    assert not ResidentRequest.objects.exists()


def test_post_retry_with_the_same_idempotency_key(client, category, key, gw):
    data = {
        "api_key": key,
        "service_code": category.code,
        "address_string": "x",
        "description": "y",
    }
    first = client.post(url("requests"), data, HTTP_IDEMPOTENCY_KEY="abc")
    again = client.post(url("requests"), data, HTTP_IDEMPOTENCY_KEY="abc")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert ResidentRequest.objects.count() == 1


def test_get_requests_fields_and_filters(client, gw, category):
    req = make_request(grid=gw.building1, category=category, resident_phone="13900001111")
    other = make_request(grid=gw.building1, category=category)
    rows = client.get(url("requests")).json()
    assert {r["service_request_id"] for r in rows} == {req.tracking_code, other.tracking_code}
    row = next(r for r in rows if r["service_request_id"] == req.tracking_code)
    assert list(row) == REQUEST_FIELDS
    assert row["status"] == "open" and row["address_id"] == gw.building1.code
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert ISO_WITH_ZONE.match(row[field]), field
    assert "13900001111" not in client.get(url("requests")).content.decode()
    only = client.get(url("requests"), {"service_request_id": req.tracking_code}).json()
    assert [r["service_request_id"] for r in only] == [req.tracking_code]
    assert client.get(url("requests"), {"status": "closed"}).json() == []
    assert client.get(url("requests"), {"service_code": "other"}).json() == []
    assert len(client.get(url("requests"), {"start_date": "2000-01-01T00:00:00+08:00"}).json()) == 2
    assert client.get(url("requests"), {"end_date": "2000-01-01T00:00:00Z"}).json() == []


def test_get_requests_bad_filters(client, db):
    assert client.get(url("requests"), {"start_date": "yesterday"}).status_code == 400
    assert client.get(url("requests"), {"status": "pending"}).status_code == 400
    for impossible in ("2026-02-30T00:00:00Z", "2026-01-01T25:00:00Z", "2026-13-01T00:00:00Z"):
        response = client.get(url("requests"), {"end_date": impossible})
        assert response.status_code == 400, impossible
        assert response.json()[0]["code"] == 400
        assert "end_date" in response.json()[0]["description"]


def test_get_one_request_and_token(client, gw, category):
    req = make_request(grid=gw.building1, category=category)
    root = ET.fromstring(client.get(url("request", "xml", request_id=req.tracking_code)).content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == req.tracking_code
    assert client.get(url("request", request_id="NOPE")).status_code == 404
    token = client.get(url("token", token=req.tracking_code)).json()  # clients that poll tokens
    assert token == [{"service_request_id": req.tracking_code, "token": req.tracking_code}]
    assert client.get(url("token", token="NOPE")).status_code == 404


def test_open311_key_command_stores_only_a_hash(db):
    out = StringIO()
    call_command("open311_key", "create", "区12345热线", stdout=out)
    raw = out.getvalue().strip()
    row = Open311Key.objects.get()
    assert row.name == "区12345热线" and row.key_hash == hash_key(raw) and raw not in row.key_hash


@pytest.mark.parametrize(
    ("address", "published"),
    [
        ("瑞祥路18号院3号楼2单元501", "瑞祥路18号院3号楼"),
        ("瑞祥小区5栋302室", "瑞祥小区5栋"),
        ("瑞祥路18号2单元", "瑞祥路18号"),
        ("家里", ""),
    ],
)
def test_the_public_address_stops_at_the_building(client, gw, category, address, published):
    make_request(organization=gw.general_branch, category=category, address=address)
    assert client.get(url("requests")).json()[0]["address"] == published


def test_a_photo_the_resident_marked_public_is_published(client, gw, category):
    req = make_request(grid=gw.building1, category=category)
    RequestPhoto.objects.create(
        request=req, image="requests/p.jpg", content_type="image/jpeg", is_public=True
    )
    media_url = client.get(url("requests")).json()[0]["media_url"]
    # A signed, expiring link to the stored file (core.uploads.file_link), never /media/.
    assert media_url.startswith("http://testserver/files/")
    assert linked_name(media_url.rstrip("/").rsplit("/", 1)[1]) == "requests/p.jpg"
