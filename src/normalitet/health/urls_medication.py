"""Medication pages of the health service (the namespace ``health`` is set in ``health.urls``)."""

from django.urls import path

from . import views_medication as views

urlpatterns = [
    path(
        "persons/<int:person_id>/medication/",
        views.person_medication,
        name="person_medication",
    ),
    path("rounds/", views.rounds, name="rounds"),
    path("controlled/", views.controlled, name="controlled"),
    path("controlled/<int:pk>/", views.controlled_stock, name="controlled_stock"),
]
