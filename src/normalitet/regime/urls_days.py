"""Pages of the regime: days (owned by one module; included from regime/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
