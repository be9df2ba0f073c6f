"""身份证号 and phone are masked unless the role may see them; every reveal is audited."""

from django.db import transaction

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can_for_member, granted_paths
from xianfeng.core import audit

SENSITIVE_FIELDS = ("id_number", "phone")


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_phone(value: str) -> str:
    if not value:
        return ""
    return (
        value[:3] + "****" + value[-4:]
        if len(value) >= 11
        else "*" * max(len(value) - 2, 0) + value[-2:]
    )


def can_see_sensitive(user, member) -> bool:
    return can_for_member(user, Perm.MEMBER_SENSITIVE, member)


class SensitiveView:
    """Decides masking for many members at once (lists, exports, API) without a query per row."""

    def __init__(self, user):
        self.user = user
        self.paths = granted_paths(user, Perm.MEMBER_SENSITIVE)
        self.own_member_id = getattr(user, "member_id", None)

    def allowed(self, member) -> bool:
        if self.own_member_id and member.pk == self.own_member_id:
            return True
        path = member.organization.path
        return any(path.startswith(p) for p in self.paths)

    def id_number(self, member) -> str:
        return member.id_number if self.allowed(member) else mask_id_number(member.id_number)

    def phone(self, member) -> str:
        return member.phone if self.allowed(member) else mask_phone(member.phone)


def reveal_sensitive(member, *, actor, fields=SENSITIVE_FIELDS, purpose="view"):
    """Record that `actor` saw `member`'s full ID number / phone (who, whom, when)."""
    with transaction.atomic():
        audit.record("member.reveal", member, actor=actor, fields=list(fields), purpose=purpose)
    return {f: getattr(member, f) for f in fields}
