from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/close/", views.campaign_close, name="close"),
    path("<int:pk>/cases/", views.case_list, name="cases"),
    path("<int:pk>/ledger/", views.ledger, name="ledger"),
    path("<int:pk>/dispatch/", views.dispatch, name="dispatch"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/allocation/", views.allocation_page, name="allocation"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/notices/", views.notices, name="notices"),
    path("<int:pk>/import/", views.import_page, name="import"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/reveal/", views.case_reveal, name="case_reveal"),
    path("cases/<int:pk>/stage/", views.case_stage, name="case_stage"),
    path("cases/<int:pk>/visit/", views.case_visit, name="case_visit"),
    path("cases/<int:pk>/document/", views.case_document, name="case_document"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/choose/", views.choose, name="choose"),
    path("assignments/<int:pk>/done/", views.assignment_done, name="assignment_done"),
]
