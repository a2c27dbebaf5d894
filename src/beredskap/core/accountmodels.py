"""Accounts beyond the password: identities at external providers and first-login invitations.

Kept apart from ``models.py`` (which imports these names) so the sign-in data model reads as
one concept: who a person is at HelseID, ID-porten or an agency's Entra ID, and how a new
person is let in for the first time.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_secret(secret: str) -> str:
    """Only a hash of a link's secret is stored, so a database copy cannot be used to sign in."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ExternalIdentity(models.Model):
    """A person's stable subject at one OpenID Connect provider, bound to one user.

    Identities are matched on (provider, subject) only — never on e-mail, which the person or
    the provider may change and which two people may share (OpenID Connect Core 1.0 §5.7).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    provider = models.CharField(max_length=50, verbose_name=_("identitetsleverandør"))
    subject = models.CharField(max_length=255, verbose_name=_("identifikator"))
    created_at = models.DateTimeField(default=timezone.now)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="external_identity_unique_subject"
            )
        ]
        verbose_name = _("ekstern identitet")
        verbose_name_plural = _("eksterne identiteter")

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"


class Invitation(models.Model):
    """A single-use, expiring first-login link for a new user of one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(verbose_name=_("e-post"))
    role = models.CharField(max_length=20, verbose_name=_("rolle"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation_id}"

    @property
    def role_label(self) -> str:
        from beredskap.actors.models import Role

        return str(Role(self.role).label) if self.role in Role.values else self.role

    @property
    def is_open(self) -> bool:
        """Neither used, withdrawn nor expired."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
