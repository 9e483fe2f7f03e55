"""The health service's pages, under /health/. Each area keeps its own urlconf."""

from django.urls import include, path

app_name = "health"
urlpatterns = [
    path("", include("normalitet.health.urls_requests")),
    path("", include("normalitet.health.urls_medication")),
    path("", include("normalitet.health.urls_observation")),
    path("", include("normalitet.health.urls_care")),
    path("", include("normalitet.health.urls_record")),
]
