"""archives.completeness: the share of complete member files per organization (for 评星定级)."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.scoping import path_q
from xianfeng.core.events import indicator
from xianfeng.members.models import Member

from .completeness import file_states, tally_by_org


@indicator("archives.completeness", _("党员档案完整率"), unit="%")
def completeness_share(orgs, year):
    """{org id: % of active members in its subtree whose file was complete at the end of `year`}.

    Membership is today's; documents count when accepted before 1 January of `year + 1`.
    """
    orgs = list(orgs)
    if not orgs:
        return {}
    tops = []
    for path in sorted(org.path for org in orgs):
        if not any(path.startswith(top) for top in tops):
            tops.append(path)
    members = Member.objects.filter(path_q("organization__path", tops))
    cutoff = timezone.make_aware(datetime(year + 1, 1, 1))
    tallies = tally_by_org(file_states(members, accepted_before=cutoff), orgs)
    return {pk: tally.share for pk, tally in tallies.items()}
