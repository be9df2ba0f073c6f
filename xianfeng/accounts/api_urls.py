from django.urls import path

from . import api

urlpatterns = [
    path("auth/token/", api.ObtainToken.as_view(), name="token"),
    path("auth/tokens/", api.OwnTokens.as_view(), name="own_tokens"),
]
