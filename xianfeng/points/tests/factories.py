"""Helpers for the points tests: rules, a clock to move, awards from another app's event."""

from contextlib import contextmanager
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Sum

from xianfeng.core.events import POINT_CODES, point_event
from xianfeng.members.models import Member

from ..models import PointEvent, PointRule, PointTotal
from ..periods import keys_for
from ..services import create_rule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def make_rule(code="test.rule", *, points=3, **fields):
    fields.setdefault("name", f"规则{code}")
    fields.setdefault("valid_from", date(2020, 1, 1))
    return create_rule(code=code, points=points, actor=None, **fields)


class Clock:
    """Pin `timezone.localdate()` / `timezone.now()` to a day (and a moment) in Shanghai."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, day, at=time(9, 0)):
        moment = datetime.combine(day, at, tzinfo=SHANGHAI)
        self.monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
        self.monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def send(member, code, source, *, on=date(2026, 3, 5), hours=None):
    point_event.send(
        sender=type(source),
        member=member,
        rule_code=code,
        source=source,
        occurred_on=on,
        hours=hours,
    )


@contextmanager
def declared(*codes):
    """Codes a test sends without a sender module (removed again, so the system check stays clean)."""
    added = [code for code in codes if code not in POINT_CODES]
    for code in added:
        POINT_CODES[code] = ["test"]
    try:
        yield
    finally:
        for code in added:
            del POINT_CODES[code]


def rollup_from_ledger():
    """{(member_id, period): total} recomputed from the ledger, the way the rollup must be."""
    expected = {}
    for member_id, booked_on, points in PointEvent.objects.values_list(
        "member_id", "booked_on", "points"
    ):
        for key in keys_for(booked_on):
            expected[member_id, key] = expected.get((member_id, key), 0) + points
    return expected


def rollup():
    return {(t.member_id, t.period): t.total for t in PointTotal.objects.all()}


def total_of(member, key):
    return PointTotal.objects.filter(member=member, period=key).aggregate(s=Sum("total"))["s"] or 0


def rule(code):
    """The latest version of a catalogue rule (re-seeded: transactional tests flush the table)."""
    from ..catalogue import seed_rules

    seed_rules(PointRule)
    return PointRule.objects.filter(code=code).order_by("-version").first()


def members_of(org):
    return list(Member.objects.filter(organization=org).order_by("id"))


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def matrix_objects(world):
    """The points objects the permission matrix needs (MEDIA_ROOT set to a temporary folder)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..card import token_for
    from ..services import award_points, submit_claim

    street_rule = make_rule("matrix.rule", scope=world.street, claimable=True)
    event = award_points(world.member, street_rule, token="matrix", actor=None)
    claim = submit_claim(
        world.member,
        street_rule,
        occurred_on=date(2026, 1, 5),
        description="佐证",
        evidence=SimpleUploadedFile("a.png", PNG),
        actor=None,
    )
    return {
        "rule": street_rule.pk,
        "event": event.pk,
        "claim": claim.pk,
        "card": token_for(world.member),
    }
