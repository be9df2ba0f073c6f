from django.urls import path

from . import views

app_name = "venues"
urlpatterns = [
    path("", views.venue_list, name="list"),
    path("<int:pk>/", views.venue_detail, name="detail"),
    path("<int:pk>/edit/", views.venue_edit, name="edit"),
    path("<int:pk>/rooms/", views.room_add, name="room_add"),
    path("<int:pk>/duty/", views.duty_add, name="duty_add"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("<int:pk>/book/", views.book, name="book"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("bookings/", views.booking_list, name="bookings"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("bookings/<int:pk>/decide/", views.booking_decide, name="booking_decide"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/check-in/", views.booking_check_in, name="booking_check_in"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/qr.svg", views.activity_qr, name="activity_qr"),
    path("activities/<int:pk>/sign-up/", views.activity_sign_up, name="sign_up"),
    path("signups/<int:pk>/cancel/", views.signup_cancel, name="signup_cancel"),
    path("signups/<int:pk>/check-in/", views.signup_check_in, name="signup_check_in"),
    path("circle/", views.circle_page, name="circle"),
]
