from django.urls import path

from . import views, views_org

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("mine/", views.my_meetings, name="mine"),
    path("signin/<str:token>/", views.sign_in, name="signin"),
    path("compliance/", views_org.compliance_page, name="compliance"),
    path("rules/", views_org.rules_page, name="rules"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:pk>/attendees/", views.meeting_attendees, name="attendees"),
    path("<int:pk>/minutes/", views.meeting_minutes, name="minutes"),
    path("<int:pk>/notice/", views.meeting_notice, name="notice"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/upload/", views.meeting_upload, name="upload"),
    path("<int:pk>/qr.svg", views.meeting_qr, name="qr"),
    path("org/<int:pk>/ledger/", views_org.ledger_page, name="ledger"),
    path("org/<int:pk>/ledger.xlsx", views_org.ledger_xlsx, name="ledger_xlsx"),
    path("org/<int:pk>/reviews/", views_org.reviews_page, name="reviews"),
    path("org/<int:pk>/plan/", views_org.plan_page, name="plan"),
    path("org/<int:pk>/plan/copy/", views_org.plan_copy, name="plan_copy"),
]
