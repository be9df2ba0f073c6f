"""What the header search finds among requests: one request by its 查询码, if the user may see it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xianfeng.core.search import Hit, search_provider

from .models import ResidentRequest
from .routing import visible_q


@search_provider("request", _("诉求"))
def find_requests(user, text, *, limit, within=None):
    code = text.strip().upper()
    if not code.isalnum() or len(code) > 12:
        return []
    found = ResidentRequest.objects.filter(visible_q(user), tracking_code=code).select_related(
        "category"
    )[:limit]
    return [
        Hit(
            r.pk,
            f"{r.tracking_code} {r.category.name}",
            r.get_status_display(),
            reverse("requests:detail", args=[r.pk]),
        )
        for r in found
    ]
