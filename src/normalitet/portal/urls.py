"""The family portal, under /portal/."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("contacts/new/", views.contact_request, name="contact_request"),
    path("contacts/<int:contact_id>/book/", views.book, name="book"),
    path("bookings/<int:booking_id>/", views.booking_confirm, name="booking_confirm"),
    path("bookings/<int:booking_id>/release/", views.booking_release, name="booking_release"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("notices/<int:notice_id>/", views.notice, name="notice"),
]
