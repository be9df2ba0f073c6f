from django.urls import path

from . import api

urlpatterns = [
    path("points/members/<str:pk>/ledger/", api.MemberLedger.as_view(), name="points-ledger"),
    path("points/rankings/", api.Ranking.as_view(), name="points-rankings"),
]
