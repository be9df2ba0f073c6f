from django.urls import path

from . import views

app_name = "excel"
urlpatterns = [
    path("", views.home, name="home"),
    path("template/<str:kind>.xlsx", views.template, name="template"),
    path("import/<str:kind>/", views.upload, name="upload"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("export/members/", views.export_members_view, name="export_members"),
    path("export/orgs/", views.export_orgs_view, name="export_orgs"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
