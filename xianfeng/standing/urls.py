from django.urls import path

from . import views

app_name = "standing"
urlpatterns = [
    path("", views.standing_list, name="list"),
    path("case/<int:pk>/", views.lapse_case, name="case"),
    path("member/<int:pk>/", views.member_standing, name="member"),
]
