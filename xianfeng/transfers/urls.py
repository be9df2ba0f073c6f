from django.urls import path

from . import batch_views, mobile_views, views

app_name = "transfers"
urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("new/", views.transfer_start, name="start"),
    path("request/", views.transfer_request, name="request"),
    path("inbound/", views.transfer_inbound, name="inbound"),
    path("<int:pk>/", views.transfer_detail, name="detail"),
    path("<int:pk>/approve/", views.transfer_approve, name="approve"),
    path("<int:pk>/reject/", views.transfer_reject, name="reject"),
    path("<int:pk>/withdraw/", views.transfer_withdraw, name="withdraw"),
    path("<int:pk>/accept/", views.transfer_accept, name="accept"),
    path("<int:pk>/issue/", views.transfer_issue, name="issue"),
    path("<int:pk>/receipt/", views.transfer_receipt, name="receipt"),
    path("<int:pk>/letter/", views.transfer_letter, name="letter"),
    path("batch/", batch_views.batch_start, name="batch_start"),
    path("batch/<int:pk>/", batch_views.batch_detail, name="batch"),
    path("batch/<int:pk>/act/", batch_views.batch_act, name="batch_act"),
    path("mobile/", mobile_views.mobile_list, name="mobile_list"),
    path("mobile/new/", mobile_views.mobile_create, name="mobile_create"),
    path("mobile/<int:pk>/", mobile_views.mobile_edit, name="mobile_edit"),
    path("mobile/<int:pk>/return/", mobile_views.mobile_return, name="mobile_return"),
]
