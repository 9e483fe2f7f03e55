from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("persons/<int:person_id>/plan/", views.plan_page, name="plan"),
    path(
        "persons/<int:person_id>/plan/contact-officer/",
        views.allocate,
        name="allocate",
    ),
    path("persons/<int:person_id>/plan/sessions/new/", views.session_add, name="session_add"),
    path("persons/<int:person_id>/plan/needs/", views.needs_edit, name="needs"),
    path(
        "persons/<int:person_id>/plan/needs/complete/",
        views.needs_complete,
        name="needs_complete",
    ),
    path("planning/caseload/", views.caseload, name="caseload"),
]
