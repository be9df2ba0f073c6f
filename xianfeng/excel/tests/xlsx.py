"""Build real xlsx files for the tests, the way a user fills the template."""

import itertools
from datetime import date, timedelta

from openpyxl import Workbook

from xianfeng.excel.columns import MEMBER_SPEC, ORG_SPEC
from xianfeng.members.idcard import make_id_number

_seq = itertools.count(1)


def write(path, headers, rows, *, sheet="党员"):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def titles(spec):
    return [c.title for c in spec.columns]


def member_row(**overrides):
    """A valid row dict keyed by column key; values as a user types them."""
    n = next(_seq)
    born = overrides.pop("born", date(1985, 3, 9) + timedelta(days=n // 400))
    sequence = (n % 400) * 2 + 100  # even sequence → 女
    row = {
        "name": "测试党员",
        "id_number": make_id_number("370105", born, sequence),
        "gender": "女",
        "ethnicity": "汉族",
        "birth_date": born,
        "phone": "13800001111",
        "education": "大学本科",
        "employer": "北关社区居委会",
        "post": "干事",
        "household_address": "济南市天桥区",
        "home_address": "济南市天桥区",
        "joined_on": date(2010, 7, 1),
        "confirmed_on": date(2011, 7, 1),
        "category": "正式党员",
        "status": "正常",
        "org_code": "B1",
        "tags": None,
    }
    row.update(overrides)
    return row


def members_file(path, rows, *, spec=MEMBER_SPEC, headers=None):
    headers = headers or titles(spec)
    keys = [c.key for c in spec.columns]
    return write(path, headers, [[r.get(k) for k in keys] for r in rows], sheet=spec.sheet)


def org_row(**overrides):
    row = {
        "code": "N1",
        "name": "新建社区党支部",
        "short_name": None,
        "kind": "党支部",
        "parent_code": "S1",
        "domain": "社区",
        "is_temporary": "否",
        "is_joint": "否",
        "founded_on": date(2015, 6, 1),
        "address": None,
        "contact_name": None,
        "contact_phone": None,
    }
    row.update(overrides)
    return row


def orgs_file(path, rows):
    return members_file(path, rows, spec=ORG_SPEC)
