"""The visit form replayed from the phone's offline queue (core.replay, docs/modules/pwa.md)."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.core import replay
from xianfeng.core.errors import DomainError

from . import services_people as people
from .forms import VisitForm
from .models import Household


def household_version(household):
    """What the phone remembers of the household it shows; any later edit changes it."""
    at = household.updated_at
    return str(int(at.timestamp()) * 1_000_000 + at.microsecond)


def visit_replay(request, pk, token, in_scope):
    user = request.user
    try:
        household = in_scope(Household, user, pk, Perm.GRID_CHANGE)
    except Http404:
        return replay.conflict(_("该住户已删除或已不在您负责的网格，走访未保存。"))
    form = VisitForm(request.POST, request.FILES)
    if not form.is_valid():
        return replay.invalid(form)
    d = form.cleaned_data
    key = replay.scoped(user, token)
    try:
        if d["seen"] and d["seen"] != household_version(household):
            people.refuse_if_new_visit(household, key)
        visit = people.record_visit(
            household,
            visited_on=d["visited_on"],
            visitor_name=d["visitor_name"],
            found=d["found"],
            needs_follow_up=d["needs_follow_up"],
            key=key,
            photos=d["photos"],
            actor=user,
        )
    except DomainError as exc:
        return replay.conflict(exc.message)
    return replay.stored(
        obj_id=visit.pk,
        url=reverse("grid:household", args=[household.pk]),
        message=_("已登记走访：%(a)s") % {"a": household.address},
        replayed=visit.replayed,
    )
