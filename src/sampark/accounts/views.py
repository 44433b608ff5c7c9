"""Staff sign-in and sign-out: Django's own views with our templates."""

from __future__ import annotations

from django.contrib.auth.views import LoginView, LogoutView
from django.shortcuts import resolve_url

from .models import Role


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """1912 agents and supervisors land on the agent desk (a `next` parameter still wins)."""
        user = self.request.user
        if getattr(user, "role", None) in (Role.AGENT, Role.SUPERVISOR):
            return resolve_url("desk:home")
        return super().get_default_redirect_url()


class StaffLogoutView(LogoutView):
    """POST only (Django refuses GET), so a link or a prefetch cannot sign anyone out."""
