"""The permission matrix: which role may do what inside the subtree it is granted on.

This table is the single source of truth for pages, API, exports and search.
docs/permissions.md renders it for people; tests/test_permission_matrix.py checks every URL.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STREET_ADMIN = "street_admin", _("街道管理员")
    COMMITTEE_SECRETARY = "committee_secretary", _("党委/党总支书记")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")
    ORG_OFFICER = "org_officer", _("组织员")
    GRID_WORKER = "grid_worker", _("网格员")
    OBSERVER = "observer", _("观察员(只读)")


class Perm(StrEnum):
    ORG_VIEW = "org.view"
    ORG_CHANGE = "org.change"
    ORG_RESTRUCTURE = "org.restructure"
    MEMBER_VIEW = "member.view"
    MEMBER_CHANGE = "member.change"
    MEMBER_SENSITIVE = "member.sensitive"
    DATA_IMPORT = "data.import"
    DATA_EXPORT = "data.export"
    USER_MANAGE = "user.manage"
    AUDIT_VIEW = "audit.view"
    POINTS_VIEW = "points.view"
    POINTS_AWARD = "points.award"
    POINTS_MANAGE = "points.manage"


PERM_LABELS = {
    Perm.ORG_VIEW: "查看组织",
    Perm.ORG_CHANGE: "编辑组织与班子",
    Perm.ORG_RESTRUCTURE: "调整组织架构(移动、合并、拆分)",
    Perm.MEMBER_VIEW: "查看党员",
    Perm.MEMBER_CHANGE: "编辑党员",
    Perm.MEMBER_SENSITIVE: "查看完整身份证号和手机号",
    Perm.DATA_IMPORT: "导入 Excel",
    Perm.DATA_EXPORT: "导出 Excel",
    Perm.USER_MANAGE: "管理账号与授权",
    Perm.AUDIT_VIEW: "查看审计日志",
    Perm.POINTS_VIEW: "查看积分与排名",
    Perm.POINTS_AWARD: "登记积分、审核积分申报",
    Perm.POINTS_MANAGE: "维护积分规则、月度排名结账",
}

_READ = {Perm.ORG_VIEW, Perm.MEMBER_VIEW}
_WRITE = _READ | {Perm.ORG_CHANGE, Perm.MEMBER_CHANGE, Perm.MEMBER_SENSITIVE, Perm.DATA_EXPORT}

_POINTS = {Perm.POINTS_VIEW, Perm.POINTS_AWARD}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.STREET_ADMIN: frozenset(Perm),
    Role.COMMITTEE_SECRETARY: frozenset(_WRITE | _POINTS | {Perm.DATA_IMPORT, Perm.AUDIT_VIEW}),
    Role.BRANCH_SECRETARY: frozenset(_WRITE | _POINTS),
    Role.ORG_OFFICER: frozenset(_WRITE | _POINTS | {Perm.DATA_IMPORT, Perm.ORG_RESTRUCTURE}),
    Role.GRID_WORKER: frozenset(_READ | {Perm.POINTS_VIEW}),
    Role.OBSERVER: frozenset(_READ | {Perm.DATA_EXPORT, Perm.POINTS_VIEW}),
}
