from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

urlpatterns = [
    path("", include("xianfeng.core.urls")),
    path("accounts/", include("xianfeng.accounts.urls")),
    path("orgs/", include("xianfeng.orgs.urls")),
    path("members/", include("xianfeng.members.urls")),
    path("excel/", include("xianfeng.excel.urls")),
    path("development/", include("xianfeng.development.urls")),
    path("dues/", include("xianfeng.dues.urls")),
    path("tasks/", include("xianfeng.tasks.urls")),
    path("learning/", include("xianfeng.learning.urls")),
    path("service/", include("xianfeng.service.urls")),
    path("archives/", include("xianfeng.archives.urls")),
    path("cadres/", include("xianfeng.cadres.urls")),
    path("assessment/", include("xianfeng.assessment.urls")),
    path("", include("xianfeng.resident_requests.urls")),
    path("grid/", include("xianfeng.grid.urls")),
    path("transfers/", include("xianfeng.transfers.urls")),
    path("standing/", include("xianfeng.standing.urls")),
    path("elections/", include("xianfeng.elections.urls")),
    path("instructors/", include("xianfeng.instructors.urls")),
    path("meetings/", include("xianfeng.meetings.urls")),
    path("points/", include("xianfeng.points.urls")),
    path("enterprises/", include("xianfeng.enterprise.urls")),
    path("notices/", include("xianfeng.notices.urls")),
    path("screen/", include("xianfeng.screen.urls")),
    path("campaigns/", include("xianfeng.campaigns.urls")),
    path("venues/", include("xianfeng.venues.urls")),
    path("m/", include("xianfeng.venues.portal_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("xianfeng.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script from a URL, so the CSP needs no exception.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # ReDoc's page has an inline script of its own and runs a worker from a blob: URL.
    path(
        "api/redoc/",
        csp_update({"script-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-redoc",
    ),
    path("django-admin/", admin.site.urls),
]
handler404 = "xianfeng.core.views.not_found"
