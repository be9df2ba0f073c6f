"""居民身份证号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence, check digit."""

import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize(value: str) -> str:
    """Full-width digits and X (typed with a Chinese input method) count as the ordinary ones."""
    return unicodedata.normalize("NFKC", value or "").upper().replace(" ", "").strip()


def parse(value: str):
    """Return (birth_date, gender 'M'/'F') or raise ValidationError with a Chinese reason."""
    number = normalize(value)
    if (
        len(number) != 18
        or not number.isascii()
        or not number[:17].isdigit()
        or number[17] not in "0123456789X"
    ):
        raise ValidationError("身份证号应为18位，前17位为数字，末位为数字或X", code="id_format")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError("身份证号中的出生日期无效", code="id_birth") from exc
    if born.year < 1900 or born > timezone.localdate():
        raise ValidationError("身份证号中的出生日期无效", code="id_birth")
    if check_digit(number[:17]) != number[17]:
        raise ValidationError("身份证号校验位错误", code="id_checksum")
    gender = "M" if int(number[16]) % 2 else "F"
    return born, gender


def validate_id_number(value):
    parse(value)


def check_consistent(id_number, birth_date=None, gender=None):
    """Errors as {field: message} when birth date or gender contradict the ID number."""
    born, sex = parse(id_number)
    errors = {}
    if birth_date and birth_date != born:
        errors["birth_date"] = f"出生日期与身份证号不一致(身份证为 {born:%Y-%m-%d})"
    if gender and gender != sex:
        errors["gender"] = "性别与身份证号不一致"
    return errors


def make_id_number(region: str, born: date, sequence: int) -> str:
    """Build a valid number; `sequence` parity sets gender (odd = male)."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)
