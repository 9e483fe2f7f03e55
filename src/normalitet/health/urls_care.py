"""Continuity of care: referrals, consent and the handover summary."""

from django.urls import path

from . import views_care as views

urlpatterns = [
    path("referrals/", views.referrals, name="referrals"),
    path("persons/<int:person_id>/referrals/", views.person_referrals, name="person_referrals"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/handover/<int:summary_id>/", views.handover, name="handover"),
]
