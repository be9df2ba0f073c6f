from django.urls import path

from . import views

app_name = "elections"
urlpatterns = [
    path("", views.election_list, name="list"),
    path("overview/", views.election_overview, name="overview"),
    path("org/<int:pk>/new/", views.election_plan, name="plan"),
    path("org/<int:pk>/reschedule/", views.election_reschedule, name="reschedule"),
    path("<int:pk>/", views.election_detail, name="detail"),
    path("<int:pk>/nominate/", views.election_nominate, name="nominate"),
    path("<int:pk>/vote/", views.election_vote, name="vote"),
    path("<int:pk>/decide/", views.election_decide, name="decide"),
    path("<int:pk>/withdraw/", views.nomination_withdraw, name="withdraw"),
]
