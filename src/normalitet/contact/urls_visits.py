"""Family contact pages: visits (the visits desk, rooms and sessions, a person's visits)."""

from django.urls import path

from . import views_visits as views

urlpatterns = [
    path("visits/", views.visits_day, name="visits_day"),
    path("visits/print/", views.visits_day_print, name="visits_day_print"),
    path("visits/review/", views.visits_review, name="visits_review"),
    path("visits/under-18/", views.under_18_visits, name="under_18_visits"),
    path("visits/<int:booking_id>/cancel/", views.booking_cancel, name="visit_cancel"),
    path("visits/<int:booking_id>/keep/", views.booking_keep, name="visit_keep"),
    path("visits/<int:booking_id>/outcome/", views.booking_outcome, name="visit_outcome"),
    path("visits/rooms/", views.visit_rooms, name="visit_rooms"),
    path("visits/rooms/new/", views.room_new, name="visit_room_new"),
    path("visits/rooms/<int:room_id>/edit/", views.room_edit, name="visit_room_edit"),
    path("visits/rooms/<int:room_id>/in-use/", views.room_active, name="visit_room_active"),
    path(
        "visits/rooms/<int:room_id>/sessions/new/",
        views.session_new,
        name="visit_session_new",
    ),
    path("visits/sessions/<int:template_id>/end/", views.session_end, name="visit_session_end"),
    path("visits/blocked/new/", views.blocked_new, name="visit_blocked_new"),
    path(
        "visits/blocked/<int:blocked_id>/remove/",
        views.blocked_remove,
        name="visit_blocked_remove",
    ),
    path("person/<int:person_id>/visits/", views.person_visits, name="person_visits"),
]
