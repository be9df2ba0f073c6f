from django.urls import path

from . import portal

app_name = "portal"
urlpatterns = [
    path("", portal.home, name="home"),
    path("text/", portal.text_size, name="text"),
    path("c/<str:code>/", portal.community, name="community"),
    path("v/<int:pk>/", portal.venue, name="venue"),
    path("a/<int:pk>/", portal.activity, name="activity"),
    path("in/<str:token>/", portal.check_in, name="check_in"),
    path("b/<str:token>/", portal.booking, name="booking"),
    path("phone/", portal.phone, name="phone"),
    path("phone/out/", portal.sign_out, name="sign_out"),
    path("me/", portal.me, name="me"),
    path("me/signups/<int:pk>/cancel/", portal.signup_cancel, name="signup_cancel"),
    path("circle/", portal.circle_page, name="circle"),
    path("volunteer/", portal.volunteer, name="volunteer"),
]
