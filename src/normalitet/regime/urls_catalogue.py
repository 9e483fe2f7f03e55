"""Pages of the regime: the activity catalogue, sessions, the waiting list and places
(included from regime/urls.py, under /regime/)."""

from django.urls import path

from . import views_catalogue as views

urlpatterns = [
    path("activities/", views.activities, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path(
        "activities/<int:activity_id>/deactivate/",
        views.activity_deactivate,
        name="activity_deactivate",
    ),
    path("activities/<int:activity_id>/sessions/new/", views.session_add, name="session_add"),
    path("sessions/<int:session_id>/end/", views.session_end, name="session_end"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path(
        "sessions/<int:session_id>/reinstate/",
        views.session_reinstate,
        name="session_reinstate",
    ),
    path("waiting-list/", views.waiting_list, name="waiting_list"),
    path(
        "allocations/<int:allocation_id>/<slug:action>/",
        views.allocation_action,
        name="allocation_action",
    ),
    path(
        "persons/<int:person_id>/activities/",
        views.person_activities,
        name="person_activities",
    ),
]
