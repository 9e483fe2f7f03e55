"""The regime's pages, under /regime/. Each area keeps its own urlconf."""

from django.urls import include, path

app_name = "regime"
urlpatterns = [
    path("", include("normalitet.regime.urls_catalogue")),
    path("", include("normalitet.regime.urls_attendance")),
    path("", include("normalitet.regime.urls_days")),
    path("", include("normalitet.regime.urls_education")),
]
