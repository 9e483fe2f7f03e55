"""Family contact pages: visits."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
