"""What the header search and the organization pickers find: organizations by name, short name
or code, scoped."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.scoping import scope_orgs
from xianfeng.core.search import Hit, search_provider
from xianfeng.members.search import to_simplified


@search_provider("org", _("党组织"))
def find_orgs(user, text, *, limit, within=None):
    text = to_simplified(text)
    orgs = scope_orgs(user).filter(
        Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__iexact=text)
    )
    if within:
        top = scope_orgs(user).filter(pk=within).values_list("path", flat=True).first()
        if top is None:
            return []
        orgs = orgs.filter(path__startswith=top)
    return [
        Hit(o.pk, o.name, o.get_kind_display(), reverse("orgs:detail", args=[o.pk]))
        for o in orgs.order_by("depth", "path")[:limit]
    ]
