"""Family contact's staff pages, under /contact/. Each area keeps its own urlconf."""

from django.urls import include, path

app_name = "contact"
urlpatterns = [
    path("", include("normalitet.contact.urls_contacts")),
    path("", include("normalitet.contact.urls_visits")),
    path("", include("normalitet.contact.urls_phone")),
    path("", include("normalitet.contact.urls_mail")),
    path("", include("normalitet.contact.urls_restrictions")),
]
