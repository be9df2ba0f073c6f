from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.learning_home, name="home"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/media/", views.course_media, name="media"),
    path("courses/<int:pk>/beat/", views.course_beat, name="beat"),
    path("courses/<int:pk>/require/", views.course_require, name="require"),
    path("manage/", views.course_manage, name="manage"),
    path("bank/", views.question_bank, name="bank"),
    path("bank/template.xlsx", views.bank_template, name="bank_template"),
    path("quizzes/new/", views.quiz_create, name="quiz_create"),
    path("quizzes/<int:pk>/", views.quiz_take, name="quiz"),
    path("attempts/<int:pk>/", views.quiz_result, name="result"),
    path("figures/", views.study_figures, name="figures"),
]
