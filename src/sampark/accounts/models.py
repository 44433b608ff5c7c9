"""Staff users, their roles and jurisdictions, and API tokens for integrations."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sampark.network.models import OrgUnit, Substation


class Role(models.TextChoices):
    AGENT = "agent", _("1912 agent")
    SUPERVISOR = "supervisor", _("Call-centre supervisor")
    JE = "je", _("Junior Engineer")
    SDO = "sdo", _("Sub-divisional Officer")
    XEN = "xen", _("Executive Engineer")
    SE = "se", _("Superintending Engineer")
    CE = "ce", _("Chief Engineer")
    MD = "md", _("Managing Director")
    CHAIRMAN = "chairman", _("Chairman")
    ADMIN = "admin", _("Administrator")


class StaffUser(AbstractUser):
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.AGENT)
    # The org-tree node whose subtree this user may see and act on. Empty only for admins.
    jurisdiction = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    # A JE looks after particular substations; complaints on them are routed to that JE.
    substations = models.ManyToManyField(Substation, blank=True, related_name="engineers")
    phone = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("staff user")

    def __str__(self) -> str:
        return f"{self.get_full_name() or self.username} ({self.get_role_display()})"


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """Bearer token of an integration (SCADA feed, website, partner). Stored hashed.

    The token acts as its owner: same role, same jurisdiction.
    """

    name = models.CharField(max_length=80)
    owner = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def new_raw_key(cls) -> str:
        return "smp_" + secrets.token_urlsafe(32)
