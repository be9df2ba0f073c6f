from django.urls import path

from . import views, volunteer_views

app_name = "service"
urlpatterns = [
    path("", views.project_list, name="projects"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/claim/", views.project_claim, name="claim"),
    path("projects/<int:pk>/claim-for/", views.project_claim_for, name="claim_for"),
    path("projects/<int:pk>/status/", views.project_status, name="project_status"),
    path("claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("claims/<int:pk>/progress/", views.claim_progress, name="claim_progress"),
    path("claims/<int:pk>/done/", views.claim_done, name="claim_done"),
    path("check-ins/", views.check_in_list, name="check_ins"),
    path("check-ins/<int:pk>/", views.check_in_detail, name="check_in"),
    path("units/", views.unit_list, name="units"),
    path("studios/", views.studio_list, name="studios"),
    path("alliances/", views.alliance_list, name="alliances"),
    path("alliances/<int:pk>/", views.alliance_detail, name="alliance"),
    path("volunteers/", volunteer_views.volunteer_list, name="volunteers"),
    path("volunteers/<int:pk>/certificate/", volunteer_views.certificate, name="certificate"),
    path("activities/", volunteer_views.activity_list, name="activities"),
    path("activities/<int:pk>/", volunteer_views.activity_detail, name="activity"),
    path("activities/<int:pk>/sign-up/", volunteer_views.activity_sign_up, name="sign_up"),
    path("signups/<int:pk>/cancel/", volunteer_views.signup_cancel, name="signup_cancel"),
    path("signups/<int:pk>/sign-in/", volunteer_views.signup_sign_in, name="sign_in"),
]
