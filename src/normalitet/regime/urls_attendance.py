"""Pages of the regime: attendance (owned by one module; included from regime/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
