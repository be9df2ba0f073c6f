"""What the header search finds among enterprises: by name or 统一社会信用代码, scoped."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xianfeng.core.search import Hit, search_provider

from .models import Enterprise
from .services import visible_q


@search_provider("enterprise", _("企业"))
def find_enterprises(user, text, *, limit, within=None):
    found = Enterprise.objects.filter(
        visible_q(user), Q(name__icontains=text) | Q(credit_code__iexact=text)
    ).select_related("organization")
    return [
        Hit(e.pk, e.name, e.organization.name, reverse("enterprise:detail", args=[e.pk]))
        for e in found.order_by("name", "pk")[:limit]
    ]
