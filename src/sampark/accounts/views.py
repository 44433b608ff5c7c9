"""Staff sign-in and sign-out: Django's own views with our templates."""

from __future__ import annotations

from django.contrib.auth.views import LoginView, LogoutView


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class StaffLogoutView(LogoutView):
    """POST only (Django refuses GET), so a link or a prefetch cannot sign anyone out."""
