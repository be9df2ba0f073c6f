"""身份证号, phone and birth date are masked for every viewer, whatever the role.

A masked record holds as a whole: the ID keeps its first 6 (region) and last 2 characters,
the phone at most its first 3 and last 4 digits, the birth date only its year — so no two
surfaces together rebuild a number. Full values come only from `reveal_sensitive` (one
record, a reason, an audit row) or an explicit unmasked export (one audit row).
"""

from django.db import transaction

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can_for_member, granted_paths
from xianfeng.core import audit
from xianfeng.core.errors import DomainError

SENSITIVE_FIELDS = ("id_number", "phone", "birth_date")
REASON_REQUIRED = "请填写查看完整信息的事由"


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 8) + value[-2:] if len(value) >= 15 else "*" * len(value)


def mask_phone(value: str) -> str:
    if not value:
        return ""
    digits = sum(c.isdigit() for c in value)
    if digits >= 11:
        return value[:3] + "****" + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:]


def mask_birth_date(value) -> str:
    """Only the year: the full date is digits 7–14 of the ID number."""
    return f"{value.year}年" if value else ""


def can_see_sensitive(user, member) -> bool:
    return can_for_member(user, Perm.MEMBER_SENSITIVE, member)


class SensitiveView:
    """Masked values for many members at once (lists, exports, API) without a query per row.

    `allowed` tells whether the user may reveal (or export unmasked) a member; the
    values shown in lists are masked either way.
    """

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
        return mask_id_number(member.id_number)

    def phone(self, member) -> str:
        return mask_phone(member.phone)

    def birth_date(self, member) -> str:
        return mask_birth_date(member.birth_date)


def masked(member) -> dict:
    return {
        "id_number": mask_id_number(member.id_number),
        "phone": mask_phone(member.phone),
        "birth_date": mask_birth_date(member.birth_date),
    }


def reveal_sensitive(member, *, actor, reason: str, fields=SENSITIVE_FIELDS) -> dict:
    """Full ID number / phone / birth date of one member, audited (who, whom, what, why, when)."""
    return reveal_values(
        member,
        {f: getattr(member, f) for f in fields},
        actor=actor,
        reason=reason,
        action="member.reveal",
    )


def reveal_values(target, values: dict, *, actor, reason: str, action: str) -> dict:
    """The one reveal: a reason is required and one audit row (who, whom, which fields, why,
    when) is chained before the full `values` are handed out. Members call it through
    `reveal_sensitive`; other records holding 身份证号/phones (a campaign's household) too."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(REASON_REQUIRED, field="reason")
    with transaction.atomic():
        audit.record(action, target, actor=actor, fields=list(values), reason=reason[:200])
    return values
