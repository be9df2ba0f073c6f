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
    INSTRUCTOR = "instructor", _("党建指导员")
    SCREEN = "screen", _("大屏(只读)")


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
    TASK_MANAGE = "task.manage"
    LEARNING_MANAGE = "learning.manage"
    ARCHIVE_REVIEW = "archive.review"
    CADRE_MANAGE = "cadre.manage"
    ASSESS_VIEW = "assess.view"
    ASSESS_SCORE = "assess.score"
    ASSESS_MANAGE = "assess.manage"
    GRID_VIEW = "grid.view"
    GRID_CHANGE = "grid.change"
    GRID_CONTACT = "grid.contact"
    TRANSFER_VIEW = "transfer.view"
    TRANSFER_ACT = "transfer.act"
    ELECTION_APPROVE = "election.approve"
    INSTRUCTOR_MANAGE = "instructor.manage"
    INSTRUCTOR_LOG = "instructor.log"
    MEETING_VIEW = "meeting.view"
    MEETING_CHANGE = "meeting.change"
    REQUEST_VIEW = "request.view"
    REQUEST_HANDLE = "request.handle"
    REQUEST_DISPATCH = "request.dispatch"
    POINTS_VIEW = "points.view"
    POINTS_AWARD = "points.award"
    POINTS_MANAGE = "points.manage"
    CALENDAR_MANAGE = "calendar.manage"
    VIEW_SCREEN = "screen.view"


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
    Perm.TASK_MANAGE: "部署重点任务、选定重点培育品牌",
    Perm.LEARNING_MANAGE: "发布课程、布置必学、管理题库和测试",
    Perm.ARCHIVE_REVIEW: "审核党员档案材料",
    Perm.CADRE_MANAGE: "管理后备干部",
    Perm.ASSESS_VIEW: "查看考核与评星定级",
    Perm.ASSESS_SCORE: "考核评分(书记评价；下级组织的评审指标)",
    Perm.ASSESS_MANAGE: "管理考核标准、测评与发布评星定级",
    Perm.GRID_VIEW: "查看网格",
    Perm.GRID_CHANGE: "编辑网格、住户、走访与服务活动",
    Perm.GRID_CONTACT: "查看住户完整联系方式",
    Perm.TRANSFER_VIEW: "查看组织关系转接",
    Perm.TRANSFER_ACT: "办理组织关系转接(审批、接收、开具介绍信)",
    Perm.ELECTION_APPROVE: "批复下级组织换届选举(在上级组织上授权)",
    Perm.INSTRUCTOR_MANAGE: "选派和督导党建指导员",
    Perm.INSTRUCTOR_LOG: "登记党建指导员履职记录",
    Perm.MEETING_VIEW: "查看组织生活(三会一课)",
    Perm.MEETING_CHANGE: "安排和登记组织生活",
    Perm.REQUEST_VIEW: "查看居民诉求",
    Perm.REQUEST_HANDLE: "受理、办理居民诉求",
    Perm.REQUEST_DISPATCH: "诉求调度、吹哨报到与仲裁",
    Perm.POINTS_VIEW: "查看积分与排名",
    Perm.POINTS_AWARD: "登记积分、审核积分申报",
    Perm.POINTS_MANAGE: "维护积分规则、月度排名结账",
    Perm.CALENDAR_MANAGE: "维护工作日历(节假日安排)",
    Perm.VIEW_SCREEN: "查看指挥中心大屏",
}

_READ = {Perm.ORG_VIEW, Perm.MEMBER_VIEW, Perm.GRID_VIEW}
_WRITE = _READ | {
    Perm.ORG_CHANGE,
    Perm.MEMBER_CHANGE,
    Perm.MEMBER_SENSITIVE,
    Perm.DATA_EXPORT,
    Perm.LEARNING_MANAGE,
}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.STREET_ADMIN: frozenset(Perm),
    Role.COMMITTEE_SECRETARY: frozenset(
        _WRITE
        | {
            Perm.VIEW_SCREEN,
            Perm.DATA_IMPORT,
            Perm.AUDIT_VIEW,
            Perm.TASK_MANAGE,
            Perm.ARCHIVE_REVIEW,
            Perm.CADRE_MANAGE,
            Perm.ASSESS_VIEW,
            Perm.ASSESS_SCORE,
            Perm.ASSESS_MANAGE,
            Perm.GRID_CHANGE,
            Perm.GRID_CONTACT,
            Perm.TRANSFER_VIEW,
            Perm.TRANSFER_ACT,
            Perm.ELECTION_APPROVE,
            Perm.INSTRUCTOR_MANAGE,
            Perm.INSTRUCTOR_LOG,
            Perm.MEETING_VIEW,
            Perm.MEETING_CHANGE,
            Perm.REQUEST_VIEW,
            Perm.REQUEST_HANDLE,
            Perm.REQUEST_DISPATCH,
            Perm.POINTS_VIEW,
            Perm.POINTS_AWARD,
        }
    ),
    Role.BRANCH_SECRETARY: frozenset(
        _WRITE
        | {
            Perm.ASSESS_VIEW,
            Perm.ASSESS_SCORE,
            Perm.GRID_CHANGE,
            Perm.GRID_CONTACT,
            Perm.TRANSFER_VIEW,
            Perm.TRANSFER_ACT,
            Perm.MEETING_VIEW,
            Perm.MEETING_CHANGE,
            Perm.REQUEST_VIEW,
            Perm.REQUEST_HANDLE,
            Perm.POINTS_VIEW,
            Perm.POINTS_AWARD,
        }
    ),
    Role.ORG_OFFICER: frozenset(
        _WRITE
        | {
            Perm.VIEW_SCREEN,
            Perm.ORG_RESTRUCTURE,
            Perm.DATA_IMPORT,
            Perm.TASK_MANAGE,
            Perm.ARCHIVE_REVIEW,
            Perm.CADRE_MANAGE,
            Perm.ASSESS_VIEW,
            Perm.ASSESS_SCORE,
            Perm.GRID_CHANGE,
            Perm.TRANSFER_VIEW,
            Perm.TRANSFER_ACT,
            Perm.ELECTION_APPROVE,
            Perm.INSTRUCTOR_MANAGE,
            Perm.INSTRUCTOR_LOG,
            Perm.MEETING_VIEW,
            Perm.MEETING_CHANGE,
            Perm.POINTS_VIEW,
            Perm.POINTS_AWARD,
        }
    ),
    Role.GRID_WORKER: frozenset(
        _READ
        | {
            Perm.GRID_CHANGE,
            Perm.GRID_CONTACT,
            Perm.MEETING_VIEW,
            Perm.REQUEST_VIEW,
            Perm.REQUEST_HANDLE,
            Perm.POINTS_VIEW,
        }
    ),
    Role.OBSERVER: frozenset(
        _READ
        | {
            Perm.VIEW_SCREEN,
            Perm.DATA_EXPORT,
            Perm.ASSESS_VIEW,
            Perm.TRANSFER_VIEW,
            Perm.MEETING_VIEW,
            Perm.REQUEST_VIEW,
            Perm.POINTS_VIEW,
        }
    ),
    Role.INSTRUCTOR: frozenset({Perm.ORG_VIEW, Perm.MEMBER_VIEW, Perm.INSTRUCTOR_LOG}),
    # A wall display in the command centre: the big screen of its subtree and nothing else
    # (figures, and names only masked; docs/modules/screen.md).
    Role.SCREEN: frozenset({Perm.VIEW_SCREEN}),
}
