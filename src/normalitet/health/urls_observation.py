"""Observation pages: unit staff's watch board and checks; health staff's observation record."""

from django.urls import path

from . import views_observation as views

urlpatterns = [
    path("watch/", views.watch, name="watch"),
    path("watch/<int:person_id>/", views.watch_person, name="watch_person"),
    path("watch/<int:person_id>/check/", views.watch_check, name="watch_check"),
    path("observation/", views.observation, name="observation"),
    path(
        "persons/<int:person_id>/observation/",
        views.person_observation,
        name="person_observation",
    ),
]
