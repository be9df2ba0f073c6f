from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("count/", views.member_count, name="count"),
    path("new/", views.member_create, name="create"),
    path("audit/", views.reveal_audit, name="audit"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/reveal/", views.member_reveal, name="reveal"),
    path("<int:pk>/status/", views.member_status, name="status"),
    path("<int:pk>/confirm/", views.member_confirm, name="confirm"),
    path("<int:pk>/tags/", views.member_tags, name="tags"),
]
