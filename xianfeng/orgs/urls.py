from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("terms/", views.terms, name="terms"),
    path("warnings/", views.warnings, name="warnings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/new/", views.create_child, name="create"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/committee/new/", views.committee_start, name="committee_start"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/split/", views.split, name="split"),
    path("<int:pk>/dissolve/", views.dissolve, name="dissolve"),
    path("<int:pk>/size-exception/", views.size_exception, name="size_exception"),
    path("committees/<int:pk>/seats/new/", views.seat_add, name="seat_add"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat_end"),
]
