from django.urls import path

from . import views

app_name = "sentencing"
urlpatterns = [
    path("persons/<int:person_id>/sentence/", views.sentence_page, name="sentence"),
    path("persons/<int:person_id>/sentence/start/", views.execution_start, name="start"),
    path("persons/<int:person_id>/sentence/judgments/new/", views.judgment_add, name="judgment"),
    path("persons/<int:person_id>/sentence/remand/new/", views.deprivation_add, name="remand"),
    path(
        "persons/<int:person_id>/sentence/interruptions/new/",
        views.interruption_add,
        name="interruption",
    ),
    path("persons/<int:person_id>/sentence/decisions/new/", views.decision_add, name="decision"),
]
