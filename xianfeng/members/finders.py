"""What the header search and the member pickers find: members by name, 拼音 or last four digits,
scoped, with ID number and phone masked."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.scoping import scope_members, scope_orgs
from xianfeng.core.search import Hit, search_provider

from .masking import mask_phone
from .search import search_q


@search_provider("member", _("党员"))
def find_members(user, text, *, limit, within=None):
    members = scope_members(user).filter(search_q(text)).select_related("organization")
    if within:
        top = scope_orgs(user).filter(pk=within).values_list("path", flat=True).first()
        if top is None:
            return []
        members = members.filter(organization__path__startswith=top)
    members = members.order_by("name_pinyin", "pk")[:limit]
    return [
        Hit(
            m.pk,
            m.name,
            " · ".join(filter(None, [m.organization.name, mask_phone(m.phone)])),
            reverse("members:detail", args=[m.pk]),
        )
        for m in members
    ]
