"""GB 32100-2015 check character: real-format codes, normalization, and every way to be wrong."""

import pytest

from xianfeng.enterprise.creditcode import ALPHABET, WEIGHTS, check_character, credit_code_error

# Published codes: the standard's own example, and two Beijing companies' codes.
REAL = ("91350100M000100Y43", "91110000600037341L", "91110108551385082Q")


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code):
    assert credit_code_error(code) is None


def test_alphabet_and_weights_follow_the_standard():
    assert len(ALPHABET) == 31 and not set("IOZSV") & set(ALPHABET)
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_lowercase_and_spaces_are_normalized():
    assert credit_code_error(" 91350100m000100y43 ") is None
    assert credit_code_error("9135 0100 M000 100Y43") is None


@pytest.mark.parametrize("position", range(17))
def test_any_single_changed_character_is_caught(position):
    code = REAL[0]
    for replacement in ALPHABET:
        if replacement != code[position]:
            changed = code[:position] + replacement + code[position + 1 :]
            assert credit_code_error(changed) == "统一社会信用代码校验位不正确，请核对"


def test_wrong_check_character():
    assert "校验位" in credit_code_error("91350100M000100Y44")


@pytest.mark.parametrize("code", ["", "91350100M000100Y4", "91350100M000100Y433"])
def test_wrong_length(code):
    assert "18 位" in credit_code_error(code)


@pytest.mark.parametrize("bad", "IOZSV-")
def test_letters_outside_the_alphabet(bad):
    error = credit_code_error("91350100M000100" + bad + "43")
    assert f"“{bad}”" in error


def test_sum_divisible_by_31_gives_zero():
    """31 - 0 = 31 is written as 0, not as an out-of-range character."""
    body = next(
        b
        for b in (f"9137011300000{n:04d}" for n in range(10000))
        if sum(ALPHABET.index(c) * w for c, w in zip(b, WEIGHTS, strict=True)) % 31 == 0
    )
    assert check_character(body) == "0"
    assert credit_code_error(body + "0") is None
