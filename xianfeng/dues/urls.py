from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("", views.dues_home, name="home"),
    path("org/<int:pk>/", views.dues_sheet, name="sheet"),
    path("org/<int:pk>/bulk/", views.dues_bulk, name="bulk"),
    path("org/<int:pk>/ledger/", views.dues_ledger, name="ledger"),
    path("org/<int:pk>/ledger.xlsx", views.dues_ledger_xlsx, name="ledger_xlsx"),
    path("member/<int:pk>/", views.member_dues, name="member"),
    path("member/<int:pk>/basis/", views.member_basis, name="basis"),
    path("member/<int:pk>/pay/", views.member_pay, name="pay"),
    path("member/<int:pk>/voluntary/", views.member_voluntary, name="voluntary"),
    path("member/<int:pk>/exemption/", views.member_exemption, name="exemption"),
]
