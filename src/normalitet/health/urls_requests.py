"""Health requests and appointments (health staff), logging a request and the escorts (prison
staff). Included by health/urls.py under the ``health`` namespace."""

from django.urls import path

from . import views_requests as views

urlpatterns = [
    path("requests/", views.requests_queue, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("appointments/", views.appointments_day, name="appointments"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("persons/<int:person_id>/requests/", views.person_requests, name="person_requests"),
    path("persons/<int:person_id>/request/", views.request_log, name="request_log"),
    path("escorts/", views.escorts, name="escorts"),
]
