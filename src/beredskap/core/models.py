"""Shared kernel data: users, geography, the audit trail, access grants, idempotency keys."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.core.classification import Classification


class User(AbstractUser):
    """A person who signs in. Clearance is per user; need-to-know comes from memberships."""

    clearance = models.PositiveSmallIntegerField(
        choices=Classification.choices,
        default=Classification.UGRADERT,
        verbose_name=_("klarering/autorisasjon"),
    )
    clearance_valid_until = models.DateField(
        null=True, blank=True, verbose_name=_("klarering gyldig til")
    )
    is_auditor = models.BooleanField(
        default=False, verbose_name=_("revisor (lesetilgang til revisjonsspor)")
    )

    def effective_clearance(self) -> int:
        """Clearance that has lapsed falls back to UGRADERT."""
        if (
            self.clearance
            and self.clearance_valid_until
            and self.clearance_valid_until < timezone.localdate()
        ):
            return Classification.UGRADERT
        return self.clearance

    @property
    def needs_two_factor(self) -> bool:
        """TOTP is required for users cleared above UGRADERT (a second factor for graded
        information, NSM's grunnprinsipper for IKT-sikkerhet)."""
        return self.clearance > Classification.UGRADERT


class HealthRegion(models.Model):
    """One of the four health regions, each served by a regional health authority (RHF)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("helseregion")
        verbose_name_plural = _("helseregioner")

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """A county (fylke) of the 2024 structure."""

    number = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=100)
    health_region = models.ForeignKey(
        HealthRegion, on_delete=models.PROTECT, related_name="counties"
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality (kommune) of the 2024 structure with SSB population 1 Jan 2024."""

    number = models.CharField(max_length=4, unique=True)
    name = models.CharField(max_length=120)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    population = models.PositiveIntegerField()
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        ordering = ["number"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return f"{self.number} {self.short_name}"

    @property
    def short_name(self) -> str:
        """The Norwegian part of a name with Sami/Kven parallel forms."""
        return self.name.split(" - ")[0] if " - " in self.name else self.name


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only")


class AuditEvent(models.Model):
    """One entry in the append-only audit trail (accountability to the auditors)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=40, db_index=True)
    model = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    classification = models.PositiveSmallIntegerField(default=0)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("revisjonshendelse")
        verbose_name_plural = _("revisjonsspor")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any):
        raise PermissionError("The audit trail is append-only")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model} {self.object_id}"


class AccessGrant(models.Model):
    """An explicit need-to-know grant of one record to a user or an organisation.

    Made and revoked only through `core.grants` (which audits each). A grant the system makes
    because of another record (an organisation notified in a crisis) names that record as its
    `origin`; its expiry is set when the origin ends (the crisis closes), so need-to-know lasts
    as long as the task that gave it (sikkerhetsloven § 8-1, tjenstlig behov). A revoked grant
    is kept, with `expires_at` at the moment of revocation, so the trail stays whole.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.CASCADE
    )
    reason = models.CharField(max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    origin_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_id = models.CharField(max_length=64, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["origin_type", "origin_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(organisation__isnull=False),
                name="grant_has_grantee",
            )
        ]

    def __str__(self) -> str:
        return f"grant {self.content_type_id}:{self.object_id}"


class TokenScope(models.TextChoices):
    READ = "read", _("Bare lesing")
    READ_WRITE = "read_write", _("Lesing og skriving")


def default_token_expiry() -> Any:
    """Tokens expire (NSM grunnprinsipper 2.7: limit the lifetime of credentials)."""
    from datetime import timedelta

    return timezone.now() + timedelta(days=settings.BEREDSKAP_API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token for a machine client, acting as its user. Only a hash is stored.

    `created_verified` records whether the session that created it had completed two-factor;
    a token without it reads only what is open at UGRADERT, whatever the user's clearance.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=128, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    scope = models.CharField(
        max_length=12,
        choices=TokenScope.choices,
        default=TokenScope.READ,
        verbose_name=_("tilgang"),
    )
    expires_at = models.DateTimeField(default=default_token_expiry, verbose_name=_("utløper"))
    created_verified = models.BooleanField(default=False, verbose_name=_("laget etter tofaktor"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def new_secret() -> str:
        return "bk_" + secrets.token_urlsafe(32)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The stored answer to an API write carrying an Idempotency-Key (a retried request must not
    file a report twice)."""

    key = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_key")
        ]

    def __str__(self) -> str:
        return self.key


class LoginAttempt(models.Model):
    """A failed sign-in, counted for lockout."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


# Sign-in identities and invitations live in their own module; imported here so Django finds them.
from beredskap.core.accountmodels import ExternalIdentity as ExternalIdentity  # noqa: E402
from beredskap.core.accountmodels import Invitation as Invitation  # noqa: E402
from beredskap.core.workermodels import WorkerHeartbeat  # noqa: E402, F401 - registered with core
