"""Every app's API router is mounted here under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("xianfeng.accounts.api_urls")),
    path("", include("xianfeng.orgs.api_urls")),
    path("", include("xianfeng.members.api_urls")),
]
