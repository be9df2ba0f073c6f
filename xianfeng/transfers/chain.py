"""The approval chain of a transfer, derived from the organization tree.

Default (common practice, 地方惯例: the member's branch agrees, the committees on both sides
handle the relationship, the receiving branch takes the member in; local rules differ, so the
chain is derived, not hard-coded per street):

    internal: sending organization → its committee → receiving committee → receiving organization
    outbound: sending organization → its committee, which issues the 介绍信
    inbound:  receiving committee → receiving organization

"Committee" is the nearest ancestor of kind 党委/党工委 (a 党总支 in between is skipped).
Consecutive links held by the same organization collapse into one (two branches of one
street meet at one 党工委). A committee's `TransferPolicy.direct_within` drops that
committee from transfers between two of its own organizations.
"""

from xianfeng.orgs.models import Organization, OrgKind

from .models import StepAction, TransferKind, TransferPolicy

FINAL_ACTION = {
    TransferKind.INTERNAL: StepAction.ACCEPT,
    TransferKind.OUTBOUND: StepAction.ISSUE,
    TransferKind.INBOUND: StepAction.ACCEPT,
}


def committee_of(org):
    """The nearest ancestor that is a 党委/党工委, or None at the top of the tree."""
    committees = [a for a in Organization.objects.get_ancestors(org) if a.kind == OrgKind.COMMITTEE]
    return committees[-1] if committees else None


def build_chain(kind, from_org=None, to_org=None):
    """[(organization, action)] in order; the last link accepts or issues the letter."""
    sending = committee_of(from_org) if from_org else None
    receiving = committee_of(to_org) if to_org else None
    if sending is not None and sending == receiving and _direct_within(sending):
        sending = receiving = None
    if kind == TransferKind.INTERNAL:
        holders = [from_org, sending, receiving, to_org]
    elif kind == TransferKind.OUTBOUND:
        holders = [from_org, sending]
    else:
        holders = [receiving, to_org]
    chain = []
    for org in holders:
        if org is not None and (not chain or chain[-1].pk != org.pk):
            chain.append(org)
    actions = [StepAction.APPROVE] * (len(chain) - 1) + [FINAL_ACTION[kind]]
    return list(zip(chain, actions, strict=True))


def _direct_within(committee):
    return TransferPolicy.objects.filter(organization=committee, direct_within=True).exists()
