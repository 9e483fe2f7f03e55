"""Pages of the regime: the front page, units' days and plans, time out of cell, the activity
duty, schedules and closures (included from regime/urls.py)."""

from django.urls import path

from . import views_days as v

urlpatterns = [
    path("", v.index, name="index"),
    path("units/<int:unit_id>/day/", v.unit_day, name="unit_day"),
    path("units/<int:unit_id>/day/print/", v.unit_day_print, name="unit_day_print"),
    path("units/<int:unit_id>/plan/", v.unit_plan, name="unit_plan"),
    path("units/<int:unit_id>/plan/copy/", v.unit_plan_copy, name="unit_plan_copy"),
    path("units/<int:unit_id>/settings/", v.unit_settings, name="unit_settings"),
    path("day-plans/<int:plan_id>/withdraw/", v.day_plan_withdraw, name="day_plan_withdraw"),
    path("time-out-of-cell/", v.out_of_cell, name="out_of_cell"),
    path("activity-duty/", v.activity_duty, name="activity_duty"),
    path("persons/<int:person_id>/schedule/", v.person_schedule, name="person_schedule"),
    path(
        "persons/<int:person_id>/schedule/print/",
        v.person_schedule_print,
        name="person_schedule_print",
    ),
    path("persons/<int:person_id>/restrictions/", v.restriction_add, name="restriction_add"),
    path("restrictions/<int:restriction_id>/end/", v.restriction_end, name="restriction_end"),
    path("activities/<int:activity_id>/list/", v.activity_list, name="activity_list"),
    path(
        "activities/<int:activity_id>/list/print/",
        v.activity_list_print,
        name="activity_list_print",
    ),
    path("closures/", v.closures, name="closures"),
    path("closures/<int:closure_id>/end/", v.closure_end, name="closure_end"),
]
