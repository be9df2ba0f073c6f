"""The installable grid-worker app (docs/modules/pwa.md): the manifest, the service worker at
the root scope, the page shown offline when nothing is cached, and the small state the
phone's queue asks for before it replays (who is logged in, a fresh CSRF token)."""

import hashlib
import json
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Vendored files the app needs to draw a cached page without signal.
SHELL = (
    "css/xianfeng.css",
    "vendor/htmx-2.0.11.min.js",
    "js/autocomplete.js",
    "js/actions.js",
    "js/offline-queue.js",
    "js/offline.js",
    "img/favicon.svg",
    "img/pwa/icon-192.png",
)
# Pages kept for offline reading (network first, the last copy when there is no signal):
# the workbench, the grid pages (households, visits, activities) and the requests.
CACHED_PAGES = r"^/($|grid/|requests/)"


@lru_cache(maxsize=1)
def _shell():
    """The shell's URLs and a version that changes when any of them (or sw.js) changes."""
    digest = hashlib.sha256()
    for name in (*SHELL, "js/sw.js"):
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return [static(name) for name in SHELL], digest.hexdigest()[:12]


@require_GET
def manifest(request):
    icons = [
        {"src": static("img/pwa/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/pwa/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/pwa/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "name": _("先锋网格"),
        "short_name": _("先锋网格"),
        "description": _("网格员、党员中心户的走访与诉求登记，无信号时也能用"),
        "lang": "zh-CN",
        "id": "/",
        "start_url": reverse("core:home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#c00000",
        "icons": icons,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        content_type="application/manifest+json; charset=utf-8",
    )


@require_GET
def service_worker(request):
    shell, version = _shell()
    with open(finders.find("js/sw.js"), encoding="utf-8") as handle:
        source = handle.read()
    config = {
        "version": version,
        "shell": shell,
        "offline": reverse("core:offline"),
        "pages": CACHED_PAGES,
        "queue": static("js/offline-queue.js"),
        "state": reverse("core:pwa_state"),
    }
    body = f"self.XF_CONFIG = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # The browser checks for a new worker on every visit; the file is small.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """What a page that was never opened with signal shows without it (cached at install)."""
    return render(request, "core/offline.html")


@never_cache
@require_GET
def state(request):
    """Asked by the queue before it replays: the logged-in user and a fresh CSRF token."""
    user = request.user
    return JsonResponse(
        {"user": user.pk if user.is_authenticated else None, "csrf": get_token(request)}
    )
