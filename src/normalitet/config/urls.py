from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from normalitet.config.api import api

handler404 = "normalitet.core.views.not_found"
handler403 = "normalitet.core.views.forbidden"

urlpatterns = [
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("auth/", include("normalitet.identity.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("estate/", include("normalitet.estate.urls")),
    path("regime/", include("normalitet.regime.urls")),
    path("contact/", include("normalitet.contact.urls")),
    path("health/", include("normalitet.health.urls")),
    path("portal/", include("normalitet.portal.urls")),
    path("", include("normalitet.planning.urls")),
    path("", include("normalitet.sentencing.urls")),
    path("", include("normalitet.custody.urls")),
    path("", include("normalitet.core.urls")),
]
