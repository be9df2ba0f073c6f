"""Finding members by 身份证号: the one place that knows how the number is stored.

Imports and any other caller match members through these functions only, so a change
in how the number is kept (e.g. encrypted with a blind index) is made here alone.
"""

from itertools import islice

from . import idcard
from .models import Member

CHUNK = 5000


def find_by_id_number(number: str, queryset=None) -> Member | None:
    """The member holding this ID number (any spelling: 全角, lower-case x, spaces), or None."""
    queryset = Member.objects.all() if queryset is None else queryset
    return queryset.filter(id_number=idcard.normalize(number)).first()


def values_by_id_numbers(numbers, *fields: str) -> dict[str, dict]:
    """{normalised number: {field: value}} for those numbers that exist; one query per CHUNK."""
    found = {}
    it = iter(sorted({idcard.normalize(n) for n in numbers}))
    while chunk := list(islice(it, CHUNK)):
        for row in Member.objects.filter(id_number__in=chunk).values("id_number", *fields):
            found[row["id_number"]] = row
    return found
