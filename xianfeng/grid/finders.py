"""What the header search finds among grids: by name or 网格编码, scoped."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xianfeng.core.search import Hit, search_provider
from xianfeng.members.search import to_simplified

from .scoping import scope_grids


@search_provider("grid", _("网格"))
def find_grids(user, text, *, limit, within=None):
    found = scope_grids(user).filter(Q(name__icontains=to_simplified(text)) | Q(code__iexact=text))
    return [
        Hit(g.pk, g.name, g.get_kind_display(), reverse("grid:detail", args=[g.pk]))
        for g in found.order_by("depth", "path")[:limit]
    ]
