"""Every app's API router is mounted here under /api/v1/ (URL names in the `api` namespace)."""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("", include("xianfeng.accounts.api_urls")),
    path("", include("xianfeng.orgs.api_urls")),
    path("", include("xianfeng.members.api_urls")),
    path("", include("xianfeng.points.api_urls")),
]
