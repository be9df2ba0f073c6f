from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("", views.development_list, name="list"),
    path("new/", views.development_start, name="start"),
    path("plan/", views.development_plan, name="plan"),
    path("rules/", views.development_rules, name="rules"),
    path("<int:pk>/", views.development_detail, name="detail"),
    path("<int:pk>/step/", views.development_record, name="record"),
    path("<int:pk>/report/", views.development_report, name="report"),
    path("<int:pk>/review/", views.development_review, name="review"),
    path("<int:pk>/probation/", views.development_probation, name="probation"),
]
