"""介绍信编号: 郭组转〔2026〕第0012号 — a prefix, the year and a per-year sequence.

The sequence row is locked while the number is taken, so two letters issued at the same
moment never share a number; `Transfer.letter_no` is unique as a last guard.
"""

from django.db import transaction

from .models import LetterSequence, TransferPolicy

SUFFIX = "组转"


def letter_prefix(issuer):
    policy = TransferPolicy.objects.filter(organization=issuer).first()
    if policy and policy.letter_prefix:
        return policy.letter_prefix
    return (issuer.short_name or issuer.name)[:1] + SUFFIX


def format_letter_no(prefix, year, number):
    return f"{prefix}〔{year}〕第{number:04d}号"


def next_letter_no(issuer, year):
    prefix = letter_prefix(issuer)
    with transaction.atomic():
        LetterSequence.objects.get_or_create(prefix=prefix, year=year)
        seq = LetterSequence.objects.select_for_update().get(prefix=prefix, year=year)
        seq.last += 1
        seq.save(update_fields=["last"])
    return format_letter_no(prefix, year, seq.last)
