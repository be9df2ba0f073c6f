from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_board, name="board"),
    path("timeline/", views.task_timeline, name="timeline"),
    path("export/", views.task_export, name="export"),
    path("new/", views.task_create, name="create"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/edit/", views.task_edit, name="edit"),
    path("<int:pk>/report/", views.task_report, name="report"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("brands/", views.brand_list, name="brand_list"),
    path("brands/new/", views.brand_create, name="brand_create"),
    path("brands/<int:pk>/", views.brand_detail, name="brand_detail"),
    path("brands/<int:pk>/status/", views.brand_status, name="brand_status"),
    path("brands/<int:pk>/key/", views.brand_key, name="brand_key"),
    path(
        "brands/milestones/<int:pk>/done/", views.brand_milestone_done, name="brand_milestone_done"
    ),
    path("brands/milestones/<int:pk>/evidence/", views.brand_evidence, name="brand_evidence"),
]
