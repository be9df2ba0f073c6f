from django.urls import path

from . import views

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="list"),
    path("new/", views.cadre_add, name="add"),
    path("export/", views.cadre_export, name="export"),
    path("<int:pk>/", views.cadre_detail, name="detail"),
    path("<int:pk>/training/", views.cadre_training, name="training"),
    path("<int:pk>/evaluation/", views.cadre_evaluation, name="evaluation"),
    path("<int:pk>/status/", views.cadre_status, name="status"),
]
