from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render

from . import uploads
from .search import SEARCH_PROVIDERS, clean_query, search_all
from .workbench import Urgency, todo_for


@login_required
def home(request):
    """工作台: what waits for the user, most urgent first; their own figures after."""
    items = todo_for(request.user)
    return render(
        request,
        "core/workbench.html",
        {
            "work": [i for i in items if i.urgency != Urgency.INFO],
            "mine": [i for i in items if i.urgency == Urgency.INFO],
        },
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def search(request):
    """The header search: every kind of thing the user may see, a few hits of each."""
    text = clean_query(request.GET.get("q"))
    return render(
        request, "core/search.html", {"q": text, "groups": search_all(request.user, text)}
    )


@login_required
def suggest(request):
    """A picker's suggestions: `kind` (member, org …), `q`, optionally `within` an org id."""
    provider = SEARCH_PROVIDERS.get(request.GET.get("kind", ""))
    if provider is None:
        return JsonResponse({"detail": "不支持的搜索类型"}, status=400)
    within = request.GET.get("within", "")
    if within and not within.isdigit():
        return JsonResponse({"detail": "组织编号无效"}, status=400)
    text = clean_query(request.GET.get("q"))
    if not text:
        return JsonResponse({"results": []})
    hits = provider.find(request.user, text, limit=20, within=int(within) if within else None)
    return JsonResponse(
        {"results": [{"id": h.id, "label": h.label, "detail": h.detail} for h in hits]}
    )


def linked_file(request, token):
    """A stored file behind a signed link (see uploads.file_link); 404 for forged or expired."""
    name = uploads.linked_name(token)
    if not name:
        raise Http404("链接无效或已过期")
    return uploads.serve_stored(default_storage, name)


def not_found(request, exception):
    """404: JSON under /api/ (clients read `detail`), the styled page elsewhere."""
    from django.http import JsonResponse
    from django.views import defaults

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到。"}, status=404)
    return defaults.page_not_found(request, exception)
