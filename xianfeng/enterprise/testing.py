"""Factories for enterprise tests (and the permission matrix)."""

import itertools

from .creditcode import check_character
from .models import Enterprise

_seq = itertools.count(1)


def credit_code(n=None):
    """A valid code shaped like a Jinan company's (91 · 370113 · 9-character 主体标识码)."""
    body = f"91370113MA{n if n is not None else next(_seq):07d}"
    return body + check_character(body)


def make_enterprise(organization, name="济南创科信息技术有限公司", **fields):
    fields.setdefault("credit_code", credit_code())
    fields.setdefault("address", "崮云湖街道创新大厦8层")
    fields.setdefault("contact_name", "李明")
    fields.setdefault("contact_phone", "13812345678")
    return Enterprise.objects.create(name=name, organization=organization, **fields)
