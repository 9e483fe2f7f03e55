"""Pages of the regime: the attendance register and the daily allowance (included from
regime/urls.py, so the names are ``regime:<name>``). A register is a session on a date
(YYYY-MM-DD); any other date is a 404."""

from django.urls import path

from . import views_attendance as views

REGISTER = "registers/<int:session_id>/<str:day>/"

urlpatterns = [
    path("registers/", views.registers, name="registers"),
    path(REGISTER, views.register_page, name="register"),
    path(REGISTER + "mark/", views.mark, name="register_mark"),
    path(REGISTER + "rest/", views.mark_rest, name="register_rest"),
    path("persons/<int:person_id>/allowance/", views.statement_page, name="allowance_statement"),
    path(
        "persons/<int:person_id>/allowance/print/",
        views.statement_print,
        name="allowance_statement_print",
    ),
    path("allowance/", views.week_page, name="allowance_week"),
    path("allowance/compute/", views.compute, name="allowance_compute"),
]
