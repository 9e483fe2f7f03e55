"""Family contact pages: the court's restrictions on remand."""

from django.urls import path

from . import views_restrictions as views

urlpatterns = [
    path(
        "person/<int:person_id>/restrictions/",
        views.person_restrictions,
        name="person_restrictions",
    ),
    path("restrictions/expiring/", views.restrictions_expiring, name="restrictions_expiring"),
    path("restrictions/<int:order_id>/renew/", views.order_renew, name="order_renew"),
    path("restrictions/<int:order_id>/lift/", views.order_lift, name="order_lift"),
]
