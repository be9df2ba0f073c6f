from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from xianfeng.members import idcard
from xianfeng.members.models import Member
from xianfeng.members.search import pinyin_keys, search_q


def test_known_valid_number():
    # The example number published with GB 11643.
    assert idcard.parse("11010519491231002X") == (date(1949, 12, 31), "F")


@pytest.mark.parametrize(
    "bad,code",
    [
        ("110105194912310021", "id_checksum"),
        ("1101051949123100", "id_format"),
        ("110105194913310029", "id_birth"),
    ],
)
def test_bad_numbers(bad, code):
    with pytest.raises(ValidationError) as exc:
        idcard.parse(bad)
    assert exc.value.code == code


@given(st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31)), st.integers(0, 999))
def test_made_numbers_round_trip(born, seq):
    number = idcard.make_id_number("370105", born, seq)
    assert idcard.parse(number) == (born, "M" if seq % 2 else "F")


def test_pinyin_keys_from_traditional():
    assert pinyin_keys("張三") == ("zhangsan", "zs")


def test_search_finds_by_initials_pinyin_traditional_and_digits(world):
    found = lambda q: set(Member.objects.filter(search_q(q)).values_list("name", flat=True))  # noqa: E731
    assert "张三" in found("zs")
    assert "张三" in found("zhangsan")
    assert "张三" in found("張三")
    assert "张三" in found("5678")
    assert "张三" in found(world.member.id_number[-4:])
