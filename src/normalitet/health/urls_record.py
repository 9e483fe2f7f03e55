"""The health staff's day, the patient list and one person's record (fitness, diet)."""

from django.urls import path

from . import views_record as views

urlpatterns = [
    path("", views.index, name="index"),
    path("persons/", views.patients, name="patients"),
    path("persons/<int:person_id>/", views.person, name="person"),
    path("persons/<int:person_id>/fitness/", views.person_fitness, name="person_fitness"),
    path("persons/<int:person_id>/diet/", views.person_diet, name="person_diet"),
]
