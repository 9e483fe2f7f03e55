"""Pages of the regime: education records, diets, meal numbers and faith (included from
regime/urls.py, so the names are ``regime:*``)."""

from django.urls import path

from . import views_education as v

urlpatterns = [
    path("persons/<int:person_id>/education/", v.education_page, name="education"),
    path("persons/<int:person_id>/education/print/", v.education_print, name="education_print"),
    path(
        "persons/<int:person_id>/education/<int:record_id>/correct/",
        v.education_correct,
        name="education_correct",
    ),
    path("persons/<int:person_id>/diet/", v.diet_page, name="diet"),
    path("persons/<int:person_id>/diet/<int:diet_id>/end/", v.diet_end, name="diet_end"),
    path("meals/", v.meals_page, name="meals"),
    path("faith/", v.faith_page, name="faith"),
]
