"""Family contact pages: mail and parcels."""

from django.urls import path

from . import views_mail as views

urlpatterns = [
    path("mail/", views.mail_log, name="mail_log"),
    path("person/<int:person_id>/mail/", views.person_mail, name="person_mail"),
    path("mail/<int:item_id>/<slug:action>/", views.mail_handle, name="mail_handle"),
]
