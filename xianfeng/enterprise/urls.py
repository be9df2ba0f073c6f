from django.urls import path

from . import views

app_name = "enterprise"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/intake/", views.intake, name="intake"),
]
