from django.urls import path

from . import views

app_name = "points"
urlpatterns = [
    path("", views.points_home, name="home"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views.rule_detail, name="rule"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("org/<int:pk>/", views.ranking, name="ranking"),
    path("org/<int:pk>/board/", views.board, name="board"),
    path("org/<int:pk>/close/", views.close_month, name="close"),
    path("member/<int:pk>/", views.member_points, name="member"),
    path("member/<int:pk>/award/", views.award, name="award"),
    path("member/<int:pk>/card/", views.member_card, name="card"),
    path("event/<int:pk>/reverse/", views.reverse_event, name="reverse"),
    path("claims/", views.claims, name="claims"),
    path("claims/<int:pk>/approve/", views.claim_approve, name="claim_approve"),
    path("claims/<int:pk>/reject/", views.claim_reject, name="claim_reject"),
    path("claims/<int:pk>/evidence/", views.claim_evidence, name="claim_evidence"),
    path("me/", views.my_points, name="me"),
    path("me/claim/", views.my_claim, name="my_claim"),
    path("me/card/", views.my_card, name="my_card"),
    path("scan/<str:token>/", views.scan, name="scan"),
]
