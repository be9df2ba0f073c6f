"""Who sees a campaign: its temporary branch and its street (and the levels above), through the
one grant mechanism; a 包户 cadre also sees the households given to them."""

from django.db.models import Q
from django.http import Http404

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths, path_q

from .models import Assignment, Campaign, Case


def _campaign_q(user, perm, prefix="", *, also=None):
    """Campaigns (through `prefix`) under the user's grants, or matching `also` (a Q)."""
    paths = granted_paths(user, perm)
    if "" in paths:
        return Q()  # everywhere: an empty Q, which an OR would otherwise swallow
    q = path_q(f"{prefix}branch__path", paths) | path_q(f"{prefix}street__path", paths)
    return q | also if also is not None else q


def scope_campaigns(user, perm: Perm = Perm.ORG_VIEW):
    return Campaign.objects.filter(_campaign_q(user, perm))


def scope_cases(user, perm: Perm = Perm.ORG_VIEW):
    mine = Q(responsible_id=user.pk) if user.is_authenticated else None
    return Case.objects.filter(_campaign_q(user, perm, "campaign__", also=mine))


def get_campaign_for_user(user, pk, perm: Perm = Perm.ORG_VIEW):
    try:
        return scope_campaigns(user, perm).select_related("street", "branch").get(pk=pk)
    except (ValueError, TypeError, Campaign.DoesNotExist) as exc:
        raise Http404("专项工作不存在或无权查看") from exc


def get_case_for_user(user, pk, perm: Perm = Perm.ORG_VIEW):
    qs = scope_cases(user, perm).select_related("campaign", "case_class", "group", "responsible")
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, Case.DoesNotExist) as exc:
        raise Http404("户档案不存在或无权查看") from exc


def get_assignment_for_user(user, pk):
    """The owner, or whoever may change the campaign's cases."""
    q = _campaign_q(user, Perm.ORG_CHANGE, "campaign__", also=Q(owner_id=user.pk))
    try:
        return Assignment.objects.filter(q).select_related("campaign").get(pk=pk)
    except (ValueError, TypeError, Assignment.DoesNotExist) as exc:
        raise Http404("交办事项不存在或无权查看") from exc


def may_change_case(user, case) -> bool:
    if case.responsible_id and case.responsible_id == user.pk:
        return True
    return may_change_campaign(user, case.campaign)


def may_change_campaign(user, campaign) -> bool:
    """The temporary branch's and the street's officers (ORG_CHANGE on either)."""
    paths = granted_paths(user, Perm.ORG_CHANGE)
    return any(
        campaign.branch.path.startswith(p) or campaign.street.path.startswith(p) for p in paths
    )


def may_manage(user, campaign) -> bool:
    paths = granted_paths(user, Perm.TASK_MANAGE)
    return any(campaign.street.path.startswith(p) for p in paths)


def may_reveal_case(user, case) -> bool:
    """The full 身份证号/phones of a household: the members' right (MEMBER_SENSITIVE, 查看完整
    身份证号和手机号) granted on the campaign's temporary branch or its street, or above."""
    paths = granted_paths(user, Perm.MEMBER_SENSITIVE)
    campaign = case.campaign
    return any(
        campaign.branch.path.startswith(p) or campaign.street.path.startswith(p) for p in paths
    )
