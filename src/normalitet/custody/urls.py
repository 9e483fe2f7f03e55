from django.urls import path

from . import views

app_name = "custody"
urlpatterns = [
    path("persons/", views.person_search, name="person_search"),
    path("persons/<int:person_id>/", views.person_detail, name="person"),
    path("persons/<int:person_id>/history/", views.person_history, name="person_history"),
    path("persons/<int:person_id>/access-log/", views.person_access_log, name="person_access_log"),
    path("persons/<int:person_id>/cell/", views.allocate_cell, name="allocate_cell"),
    path("persons/<int:person_id>/transfer/", views.transfer, name="transfer"),
    path("persons/<int:person_id>/out/", views.absence_out, name="absence_out"),
    path("persons/<int:person_id>/back/", views.absence_return, name="absence_return"),
    path("persons/<int:person_id>/release/", views.release, name="release"),
    path("persons/<int:person_id>/alerts/new/", views.alert_add, name="alert_add"),
    path(
        "persons/<int:person_id>/keep-apart/new/",
        views.non_association_add,
        name="non_association_add",
    ),
    path("persons/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:person_id>/next-of-kin/new/", views.next_of_kin_add, name="next_of_kin_add"),
    path("admit/", views.admit, name="admit"),
    path("roll/", views.roll, name="roll"),
    path("roll/<int:facility_id>/", views.roll_facility, name="roll_facility"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
]
