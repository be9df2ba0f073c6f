"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.

Layout: 1 登记管理部门代码 · 1 机构类别代码 · 6 登记管理机关行政区划码 · 9 主体标识码
(组织机构代码, GB 11714) · 1 校验码. The alphabet is the digits and the capital letters
without I, O, Z, S, V (31 characters, value = position). Character i (0-based) is weighted
3**i mod 31; the check character is the one worth 31 - (weighted sum mod 31), 31 counting as 0.
"""

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18
_FORMAT = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def normalize(code):
    return (code or "").strip().replace(" ", "").upper()


def check_character(body):
    """The check character for the first 17 characters."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_error(code):
    """None when `code` is a valid code, else why not (Chinese)."""
    code = normalize(code)
    if len(code) != LENGTH:
        return f"统一社会信用代码应为 {LENGTH} 位（现为 {len(code)} 位）"
    if not _FORMAT.match(code):
        bad = next(c for c in code if c not in ALPHABET)
        return f"统一社会信用代码含有无效字符“{bad}”（不使用 I、O、Z、S、V）"
    if check_character(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确，请核对"
    return None
