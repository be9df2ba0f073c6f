from django.urls import path

from . import views

app_name = "archives"
urlpatterns = [
    path("", views.archives_home, name="home"),
    path("org/<int:pk>/", views.archives_org, name="org"),
    path("member/<int:pk>/", views.archives_member, name="member"),
    path("member/<int:pk>/upload/", views.archives_upload, name="upload"),
    path("member/<int:pk>/path/", views.archives_path, name="path"),
    path("member/<int:pk>/index/", views.archives_index, name="index"),
    path("item/<int:pk>/review/", views.archives_review, name="review"),
    path("item/<int:pk>/file/", views.archives_file, name="file"),
]
