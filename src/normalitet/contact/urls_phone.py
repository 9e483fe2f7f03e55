"""Family contact pages: phone."""

from django.urls import path

from . import views_phone as views

urlpatterns = [
    path("phone/", views.phone_usage, name="phone_usage"),
    path("phone/setting/", views.phone_setting, name="phone_setting"),
    path("phone/import/", views.phone_import, name="phone_import"),
    path("person/<int:person_id>/phone/", views.person_phone, name="person_phone"),
    path(
        "phone-numbers/<int:number_id>/decide/",
        views.phone_number_decide,
        name="phone_number_decide",
    ),
    path(
        "phone-numbers/<int:number_id>/remove/",
        views.phone_number_remove,
        name="phone_number_remove",
    ),
]
