"""Every app's API router is mounted here under /api/v1/ (URL names in the `api` namespace)."""

from django.urls import include, path

from xianfeng.core.api import MyTodo

app_name = "api"
urlpatterns = [
    path("me/todo/", MyTodo.as_view(), name="me-todo"),
    path("", include("xianfeng.accounts.api_urls")),
    path("", include("xianfeng.orgs.api_urls")),
    path("", include("xianfeng.members.api_urls")),
    path("", include("xianfeng.tasks.api_urls")),
    path("", include("xianfeng.assessment.api_urls")),
    path("", include("xianfeng.grid.api_urls")),
    path("", include("xianfeng.transfers.api_urls")),
    path("", include("xianfeng.instructors.api_urls")),
    path("", include("xianfeng.meetings.api_urls")),
    path("", include("xianfeng.points.api_urls")),
    path("", include("xianfeng.notices.api_urls")),
    path("", include("xianfeng.campaigns.api_urls")),
]
