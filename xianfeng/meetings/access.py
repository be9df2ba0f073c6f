"""Scoped lookups for meetings: 404 for missing and forbidden alike."""

from django.http import Http404

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths, path_q

from .models import Meeting


def scope_meetings(user, perm=Perm.MEETING_VIEW):
    return Meeting.objects.filter(path_q("organization__path", granted_paths(user, perm)))


def get_meeting_for_user(user, pk, perm=Perm.MEETING_VIEW):
    qs = scope_meetings(user, perm).select_related("organization", "presided_by", "lecturer")
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, Meeting.DoesNotExist) as exc:
        raise Http404("会议不存在或无权查看") from exc
