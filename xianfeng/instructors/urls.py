from django.urls import path

from . import views

app_name = "instructors"
urlpatterns = [
    path("", views.instructor_list, name="list"),
    path("new/", views.instructor_appoint, name="appoint"),
    path("supervision/", views.supervision, name="supervision"),
    path("windows/", views.window_list, name="windows"),
    path("windows/<int:pk>/", views.window_detail, name="window"),
    path("windows/<int:pk>/submit/", views.window_submit, name="submit"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("<int:pk>/", views.instructor_detail, name="detail"),
    path("<int:pk>/assign/", views.instructor_assign, name="assign"),
    path("<int:pk>/visit/", views.instructor_visit, name="visit"),
    path("<int:pk>/report/", views.instructor_report, name="report"),
    path("<int:pk>/ledger/", views.instructor_ledger, name="ledger"),
    path("<int:pk>/ledger.xlsx", views.instructor_ledger_xlsx, name="ledger_xlsx"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="unassign"),
]
