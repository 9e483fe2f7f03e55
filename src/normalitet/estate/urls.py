from django.urls import path

from . import views

app_name = "estate"
urlpatterns = [
    path("", views.index, name="index"),
    path("facilities/<int:facility_id>/", views.facility_detail, name="facility"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("<str:kind>/<int:pk>/status/", views.set_status, name="status"),
]
