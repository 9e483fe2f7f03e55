"""Family contact pages: the desk, a person's contacts, visitors and police checks."""

from django.urls import path

from . import views_contacts as views

urlpatterns = [
    path("", views.index, name="index"),
    path("person/<int:person_id>/contacts/", views.person_contacts, name="person_contacts"),
    path("person/<int:person_id>/contacts/add/", views.contact_add, name="contact_add"),
    path("contacts/<int:contact_id>/decide/", views.contact_decide, name="contact_decide"),
    path("contacts/<int:contact_id>/end/", views.contact_end, name="contact_end"),
    path("contacts/<int:contact_id>/visitor-list/", views.contact_list, name="contact_list"),
    path(
        "contacts/<int:contact_id>/supervision/",
        views.contact_supervision,
        name="contact_supervision",
    ),
    path("visitors/<int:visitor_id>/", views.visitor_detail, name="visitor_detail"),
    path("visitors/<int:visitor_id>/edit/", views.visitor_edit, name="visitor_edit"),
    path(
        "visitors/<int:visitor_id>/police-check/",
        views.police_check_request,
        name="police_check_request",
    ),
    path(
        "police-checks/<int:check_id>/answer/",
        views.police_check_answer,
        name="police_check_answer",
    ),
]
