"""Family contact pages: contacts."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
