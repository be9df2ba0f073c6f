from django.urls import include, path, re_path

from . import calendar_views, open311, public, unit_views, views

FMT = r"(?P<fmt>json|xml)"

open311_patterns = [
    re_path(rf"^discovery\.{FMT}$", open311.discovery, name="discovery"),
    re_path(rf"^services\.{FMT}$", open311.service_list, name="services"),
    re_path(rf"^services/(?P<code>[-\w]+)\.{FMT}$", open311.service_definition, name="service"),
    re_path(rf"^requests\.{FMT}$", open311.requests_view, name="requests"),
    re_path(rf"^requests/(?P<request_id>\w+)\.{FMT}$", open311.request_view, name="request"),
    re_path(rf"^tokens/(?P<token>\w+)\.{FMT}$", open311.token_view, name="token"),
]

request_patterns = [
    path("requests/", views.request_list, name="list"),
    path("requests/new/", views.request_create, name="create"),
    path("requests/figures/", views.figures, name="figures"),
    path("requests/calendar/", calendar_views.calendar, name="calendar"),
    path("requests/calendar/import/", calendar_views.calendar_import, name="calendar_import"),
    path("requests/calendar/<int:year>/", calendar_views.calendar_year, name="calendar_year"),
    path("requests/<int:pk>/", views.request_detail, name="detail"),
    path("requests/<int:pk>/accept/", views.accept, name="accept"),
    path("requests/<int:pk>/ask/", views.ask, name="ask"),
    path("requests/<int:pk>/escalate/", views.escalate, name="escalate"),
    path("requests/<int:pk>/reject/", views.reject, name="reject"),
    path("requests/<int:pk>/arbitrate/", views.arbitrate, name="arbitrate"),
    path("requests/<int:pk>/call-in/", unit_views.call_in, name="call_in"),
    path(
        "requests/<int:pk>/call-in/<int:call_pk>/link/",
        unit_views.call_in_link,
        name="call_in_link",
    ),
    path("u/<str:token>/", unit_views.unit_task, name="unit_task"),
    path("requests/<int:pk>/call-in/done/", views.call_in_done, name="call_in_done"),
    path("requests/<int:pk>/solve/", views.solve, name="solve"),
    path("requests/<int:pk>/close/", views.close, name="close"),
    path("r/", public.intake, name="public_intake"),
    path("r/find/", public.find, name="find"),
    path("r/t/<str:code>/<str:secret>/", public.track, name="track"),
    path("r/t/<str:code>/<str:secret>/reply/", public.reply, name="reply"),
    path("r/t/<str:code>/<str:secret>/rate/", public.rate, name="rate"),
    path("r/t/<str:code>/<str:secret>/reopen/", public.reopen, name="reopen"),
    path("r/<str:grid_code>/", public.intake, name="public_grid"),
]

urlpatterns = [
    path("", include((request_patterns, "requests"))),
    path("open311/v2/", include((open311_patterns, "open311"))),
]
