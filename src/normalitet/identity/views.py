"""Login and logout. Lockout after repeated failures is django-axes' work."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginView(auth_views.LoginView):
    template_name = "identity/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        """Log in, and show the site in the language the user chose."""
        response = super().form_valid(form)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, form.get_user().preferred_language, samesite="Lax"
        )
        return response


@login_not_required
def locked_out(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return render(request, "identity/locked_out.html", status=429)
