from django.urls import path

from . import views

app_name = "screen"
urlpatterns = [
    path("", views.screen_home, name="home"),
    path("<int:pk>/", views.screen_org, name="org"),
    path("<int:pk>/panel/<slug:code>/", views.screen_panel_view, name="panel"),
]
