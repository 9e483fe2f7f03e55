"""Reentry coordination pages. No ``app_name``: included into the planning namespace, so the
names are ``planning:reentry_*``."""

from django.urls import path

from . import views_reentry

urlpatterns = [
    path("persons/<int:person_id>/reentry/", views_reentry.reentry_page, name="reentry_person"),
    path(
        "persons/<int:person_id>/reentry/referrals/new/",
        views_reentry.referral_new,
        name="reentry_referral_add",
    ),
    path(
        "persons/<int:person_id>/reentry/referrals/<int:referral_id>/status/",
        views_reentry.referral_status,
        name="reentry_referral_status",
    ),
    path("persons/<int:person_id>/reentry/consent/", views_reentry.consent, name="reentry_consent"),
    path(
        "planning/facilities/<int:facility_id>/releases/",
        views_reentry.releases,
        name="reentry_releases",
    ),
]
