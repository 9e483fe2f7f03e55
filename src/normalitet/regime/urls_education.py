"""Pages of the regime: education (owned by one module; included from regime/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
