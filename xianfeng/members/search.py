"""Search keys Chinese users expect: 拼音 (full and initials), 繁↔简, last four digits.

Keys are stored on the member and indexed, so a search is a prefix lookup, never a scan.
"""

from functools import lru_cache

from django.db.models import Q
from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """('zhangsan', 'zs') for 张三; non-Chinese characters are kept in lower case."""
    name = to_simplified(name or "")
    full = "".join(lazy_pinyin(name, errors=lambda s: s)).lower().replace(" ", "")
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: s)).lower()
    return full[:200], initials.replace(" ", "")[:50]


def fill_search_keys(member):
    member.name = to_simplified(member.name.strip())
    member.name_pinyin, member.name_initials = pinyin_keys(member.name)


def search_q(query: str, user=None) -> Q:
    """Q for a user's search box: name, 拼音 full or initials, 繁體 input, last 4 digits.

    A complete ID number or phone matches only members whose full numbers `user` may see
    (member.sensitive); for anyone else it matches nothing, exactly like an unknown number,
    so a masked role cannot probe whether a number is registered.
    """
    text = to_simplified((query or "").strip())
    if not text:
        return Q()
    compact = text.replace(" ", "").lower()
    if compact.isascii() and compact.isalpha():
        return Q(name_initials__startswith=compact) | Q(name_pinyin__startswith=compact)
    if len(compact) == 4 and (
        compact[:3].isdigit() and (compact[3].isdigit() or compact[3] == "x")
    ):
        return _last4_q(compact)
    if compact.isdigit() or (len(compact) == 18 and compact[:17].isdigit()):
        return _within_sensitive(user) & (Q(id_number=compact.upper()) | Q(phone=compact))
    return Q(name__startswith=text)


def _within_sensitive(user) -> Q:
    from xianfeng.accounts.roles import Perm
    from xianfeng.accounts.scoping import granted_paths, path_q

    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return path_q("organization__path", granted_paths(user, Perm.MEMBER_SENSITIVE))


def _last4_q(digits: str) -> Q:
    from .models import Member

    phone4 = Member._meta.get_field("phone_last4").candidates(digits)
    id4 = Member._meta.get_field("id_last4").candidates(digits)
    return Q(phone_last4__in=phone4) | Q(id_last4__in=id4)
