"""Organization rules: sizes per kind, when a branch needs a committee, term lengths.

One table; each row carries the text it comes from (see ../shared/RULES.md). Member
counts come from the rollup columns: a branch counts its own members plus those of
its 党小组 (a group's members belong to its branch), which is exactly its subtree.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from xianfeng.accounts.scoping import path_q
from xianfeng.core.errors import DomainError

from .models import Committee, CommitteeStatus, Domain, OrgKind, OrgStatus, SeatPost
from .stats import covering_paths, subtree_totals

BRANCH_RULES_TEXT = "《中国共产党支部工作条例（试行）》(2018)"
ORGAN_RULES_TEXT = "《中国共产党党和国家机关基层组织工作条例》(2019)"


@dataclass(frozen=True)
class Facts:
    members: int
    full_members: int
    has_committee: bool
    size_exception: bool  # 因工作需要，经上级党组织批准 (Organization.size_exception_approved_on)
    seats: int = 0  # open seats on the current committee
    deputies: int = 0  # of which 副书记
    other_seats: int = 0  # of which neither 书记 nor 副书记


@dataclass(frozen=True)
class OrgRule:
    code: str
    kind: str
    broken: Callable[[Facts], bool]
    message: str
    source: str


RULES = (
    OrgRule(
        code="branch_min_full",
        kind=OrgKind.BRANCH,
        broken=lambda f: f.full_members < 3,
        message=gettext_lazy("正式党员不足3名（现有%(full)d名），不符合设立党支部的条件"),
        source=f"{BRANCH_RULES_TEXT}（条号未核对）：“有正式党员3人以上的，应当成立党支部。”",
    ),
    OrgRule(
        code="branch_committee_required",
        kind=OrgKind.BRANCH,
        broken=lambda f: f.full_members >= 7 and not f.has_committee,
        message=gettext_lazy("正式党员%(full)d名，已达7名，应当设立支部委员会"),
        source=f"{BRANCH_RULES_TEXT} 第二十条（条号按 RULES.md，未核对原文）：“党员7人以上的党支部，"
        "设立党支部委员会。”（按正式党员计）",
    ),
    OrgRule(
        code="branch_committee_seats",
        kind=OrgKind.BRANCH,
        broken=lambda f: f.full_members >= 7 and f.seats > 0 and not 3 <= f.seats <= 7,
        message=gettext_lazy("支部委员会现有委员%(seats)d名，一般由3至5人组成，最多不超过7人"),
        source=f"{BRANCH_RULES_TEXT} 第二十条（条号按 RULES.md，未核对原文）：“支部委员会由党员"
        "大会选举产生……委员一般为3至5人，一般不超过7人”。",
    ),
    OrgRule(
        code="branch_small_no_committee",
        kind=OrgKind.BRANCH,
        broken=lambda f: f.full_members < 7 and (f.other_seats > 0 or f.deputies > 1),
        message=gettext_lazy(
            "正式党员%(full)d名，不足7名，一般不设支部委员会，只设书记1名，必要时设副书记1名"
        ),
        source=f"{BRANCH_RULES_TEXT} 第二十条（条号按 RULES.md，未核对原文）：“党员不足7人的"
        "党支部，不设立党支部委员会，设书记1名，必要时可以设副书记1名”。",
    ),
    OrgRule(
        code="branch_max",
        kind=OrgKind.BRANCH,
        broken=lambda f: f.members > 50,
        message=gettext_lazy("党员%(members)d名，超过50名，一般应分设党支部或成立党总支"),
        source=f"{BRANCH_RULES_TEXT}（条号未核对）：“党支部党员人数一般不超过50人。”",
    ),
    OrgRule(
        code="general_branch_min",
        kind=OrgKind.GENERAL_BRANCH,
        broken=lambda f: f.members < 50 and not f.size_exception,
        message=gettext_lazy("党员%(members)d名，不足50名，设立党总支须经上级党组织批准"),
        source=f"{ORGAN_RULES_TEXT}（条号按 RULES.md 记为第五、六条，未核对原文）：“党员50人以上、"
        "100人以下的，设立党的总支部委员会。党员不足50人的，因工作需要，经上级党组织批准，也可以"
        "设立”。“以上”含本数：50名不提示。",
    ),
    OrgRule(
        code="general_branch_max",
        kind=OrgKind.GENERAL_BRANCH,
        broken=lambda f: f.members > 100,
        message=gettext_lazy("党员%(members)d名，超过100名，一般应设立基层党委"),
        source=f"{ORGAN_RULES_TEXT}（条号未核对）：“党员100人以上的，设立党的基层委员会”。"
        "100名属于党委的人数，101名起提示。",
    ),
    OrgRule(
        code="committee_min",
        kind=OrgKind.COMMITTEE,
        broken=lambda f: f.members < 100 and not f.size_exception,
        message=gettext_lazy("党员%(members)d名，不足100名，设立基层党委须经上级党组织批准"),
        source=f"{ORGAN_RULES_TEXT}及《中国共产党农村基层组织工作条例》（条号未核对）：“党员100人"
        "以上的，设立党的基层委员会。党员不足100人的，因工作需要，经上级党组织批准，也可以设立”。"
        "“以上”含本数：100名不提示。",
    ),
)
# Kinds that may exist under their size with the higher level's approval.
SIZE_EXCEPTION_KINDS = frozenset({OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE})
RULE_KINDS = frozenset(rule.kind for rule in RULES)

TERM_YEARS_SOURCE = (
    "中办《关于党的基层组织任期的意见》(2018) 及《支部工作条例》第二十一条：基层党委每届5年；"
    "党总支、党支部委员会每届一般3年；村、社区的党组织每届5年。"
    "按组织类别和领域在 settings.XIANFENG_TERM_YEARS 调整（领域优先于类别）。"
)
# 《中国共产党基层组织选举工作条例》(2020) 第三条 (1990 暂行条例 第三条 said only "延长"):
# a 换届 may be delayed or advanced with the higher level's approval, "一般不超过1年".
RESCHEDULE_MAX_YEARS = 1
RESCHEDULE_SOURCE = (
    "《中国共产党基层组织选举工作条例》(2020) 第三条：“党的基层组织设立的委员会任期届满应当按期进行"
    "换届选举。如需延期或者提前进行换届选举，应当报上级党组织批准。延长或者提前期限一般不超过1年。”"
    "“不超过”含本数：恰好1年可以，多1天不可以；提醒和超期按批准后的日期计算。"
)

TERM_KEYS = frozenset({*OrgKind.values, *Domain.values}) - {OrgKind.GROUP}
_unknown_term_keys = set(settings.XIANFENG_TERM_YEARS) - TERM_KEYS
if _unknown_term_keys:
    raise ImproperlyConfigured(f"XIANFENG_TERM_YEARS: unknown keys {sorted(_unknown_term_keys)}")


def term_years_for(org) -> int:
    """Term length (years) of a committee of `org`: its domain's row if there is one (村、社区
    5 years), else its kind's."""
    table = settings.XIANFENG_TERM_YEARS
    if org.domain in table:
        return table[org.domain]
    if org.kind not in table:
        raise ImproperlyConfigured(f"XIANFENG_TERM_YEARS has no row for {org.kind}")
    return table[org.kind]


def _current_committees(orgs) -> dict[int, tuple[int, int, int]]:
    """{branch id: (open seats, 副书记, other seats)} for branches with a current committee."""
    branches = [org for org in orgs if org.kind == OrgKind.BRANCH]
    if not branches:
        return {}
    within = path_q("organization__path", covering_paths(o.path for o in branches))
    is_open = Q(seats__ended_on__isnull=True)
    leaders = (SeatPost.SECRETARY, SeatPost.DEPUTY_SECRETARY)
    rows = (
        Committee.objects.filter(within, status=CommitteeStatus.CURRENT)
        .order_by()
        .values("organization_id")
        .annotate(
            open_seats=Count("seats", filter=is_open),
            deputies=Count("seats", filter=is_open & Q(seats__post=SeatPost.DEPUTY_SECRETARY)),
            others=Count("seats", filter=is_open & ~Q(seats__post__in=leaders)),
        )
        .values_list("organization_id", "open_seats", "deputies", "others")
    )
    return {org_id: (n, deputies, others) for org_id, n, deputies, others in rows}


def _evaluate(orgs):
    orgs = list(orgs)
    result = {org.pk: [] for org in orgs}
    checked = [org for org in orgs if org.status == OrgStatus.ACTIVE and org.kind in RULE_KINDS]
    if not checked:
        return result, {}
    totals = subtree_totals(checked)
    committees = _current_committees(checked)
    for org in checked:
        members, full = totals[org.pk]
        seats, deputies, others = committees.get(org.pk, (0, 0, 0))
        facts = Facts(
            members,
            full,
            org.pk in committees,
            org.size_exception_approved_on is not None,
            seats,
            deputies,
            others,
        )
        result[org.pk] = [
            str(rule.message) % {"members": members, "full": full, "seats": seats}
            for rule in RULES
            if rule.kind == org.kind and rule.broken(facts)
        ]
    return result, totals


def warnings_for(orgs) -> dict[int, list[str]]:
    """{org id: [Chinese warning, ...]} for every org passed (empty list when none).

    Two queries for any number of orgs: subtree totals and current committees.
    """
    return _evaluate(orgs)[0]


def attach_warnings(orgs):
    """Set `org.warnings` and `org.total_members` (subtree, active orgs) for templates."""
    orgs = list(orgs)
    found, totals = _evaluate(orgs)
    for org in orgs:
        org.warnings = found[org.pk]
        org.total_members = totals[org.pk][0] if org.pk in totals else org.member_count
    return orgs


# 临时党支部 (RULES.md "Temporary branches"; 中组部《关于加强临时党组织建设的通知》, not checked
# article by article): a temporary organization organizes study and activity for a project and
# does not recruit members, discipline them, collect dues or hold elections; its members'
# relationship and those duties stay with their own branch.
TEMPORARY_REFUSED = {
    "recruit": "发展党员",
    "discipline": "处分党员",
    "dues": "收缴党费",
    "election": "进行换届选举",
}
TEMPORARY_SOURCE = (
    "临时党组织一般不发展党员、不处分处置党员、不收缴党费、不选举（RULES.md；"
    "中组部关于临时党组织的规定，条号未核对）。"
)


def refuse_if_temporary(org, action: str) -> None:
    """Raise DomainError when `org` is a temporary organization and `action` is one it may
    not take (keys of TEMPORARY_REFUSED)."""
    if org.is_temporary:
        raise DomainError(
            f"{org.name}是临时党组织，不能{TEMPORARY_REFUSED[action]}，请由党员所在的正式党支部办理",
            field="organization",
        )
