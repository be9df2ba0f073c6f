from django.urls import path

from . import member_views, views

app_name = "assessment"
urlpatterns = [
    path("", views.assessment_home, name="home"),
    path("standards/", views.standard_list, name="standards"),
    path("standards/install/", views.standard_install, name="standards_install"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/status/", views.plan_status, name="plan_status"),
    path("org/<int:pk>/", views.round_detail, name="round"),
    path("org/<int:pk>/evaluate/", views.round_evaluate, name="evaluate"),
    path("org/<int:pk>/publish/", views.round_publish, name="publish"),
    path("org/<int:pk>/wall/", views.star_wall, name="wall"),
    path("org/<int:pk>/scorecard/", views.scorecard, name="scorecard"),
    path("org/<int:pk>/review/", views.review_score, name="review"),
    path("org/<int:pk>/plaque/", views.plaque, name="plaque"),
    path("org/<int:pk>/plan/", views.plan_create, name="plan_create"),
    path("org/<int:pk>/members/", member_views.member_results, name="members"),
    path("org/<int:pk>/members/evaluate/", member_views.member_evaluate, name="member_evaluate"),
    path("org/<int:pk>/members/publish/", member_views.member_publish, name="member_publish"),
    path("member/<int:pk>/", member_views.member_history, name="member_history"),
    path("member/<int:pk>/score/", member_views.secretary_score, name="secretary_score"),
    path("weights/", member_views.weights, name="weights"),
]
