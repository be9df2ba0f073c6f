from django.urls import path

from . import views, views_people

app_name = "grid"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views_people.my_visits, name="mine"),
    path("new/", views.create_root, name="create_root"),
    path("org/<int:pk>/figures/", views.org_figures, name="org_figures"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/new/", views.create, name="create"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/map/", views.grid_map, name="map"),
    path("<int:pk>/split/", views.grid_split, name="split"),
    path("<int:pk>/households.xlsx", views.households_export, name="households_export"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/plates/", views.plates, name="plates"),
    path("<int:pk>/figures/", views.figures, name="figures"),
    path("<int:pk>/staff/new/", views_people.staff_add, name="staff_add"),
    path("<int:pk>/central/new/", views_people.central_add, name="central_add"),
    path("<int:pk>/zone/new/", views_people.zone_add, name="zone_add"),
    path("<int:pk>/households/new/", views_people.household_add, name="household_add"),
    path("<int:pk>/activities/", views_people.activities, name="activities"),
    path("<int:pk>/activities/new/", views_people.activity_add, name="activity_add"),
    path("staff/<int:pk>/end/", views_people.staff_end, name="staff_end"),
    path("central/<int:pk>/end/", views_people.central_end, name="central_end"),
    path("household/<int:pk>/", views_people.household, name="household"),
    path("household/<int:pk>/edit/", views_people.household_edit, name="household_edit"),
    path("household/<int:pk>/visit/", views_people.visit_add, name="visit_add"),
]
