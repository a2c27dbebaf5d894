"""Personal keys to a plan's iCalendar feed.

A calendar program fetches the feed without signing in, so whoever holds the link reads what
it carries. A key therefore belongs to one user and one plan, carries only what its owner could
see at UGRADERT unless she has turned classified entries on for that key, expires (a calendar
subscription is not a standing authorisation; `BEREDSKAP_FEED_KEY_DAYS`, default 180 days) and
can be revoked by her, or for every holder at once by the plan's owner. Only a hash of the key
is stored, like a password: the link is shown once, when it is made.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class CalendarFeedKeyQuerySet(models.QuerySet["CalendarFeedKey"]):
    def active(self) -> CalendarFeedKeyQuerySet:
        """Keys that still open a feed: not revoked, not expired, their user still active."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )


class CalendarFeedKey(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed_keys",
        verbose_name=_("bruker"),
    )
    plan = models.ForeignKey(
        "exercises.ExercisePlan",
        on_delete=models.CASCADE,
        related_name="feed_keys",
        verbose_name=_("øvingsplan"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    include_classified = models.BooleanField(default=False, verbose_name=_("med graderte øvelser"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("opprettet"))
    expires_at = models.DateTimeField(verbose_name=_("utløper"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("trukket tilbake"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sist brukt"))

    objects = CalendarFeedKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kalendernøkkel")
        verbose_name_plural = _("kalendernøkler")

    def __str__(self) -> str:
        return f"{self.user} – {self.plan_id} ({self.created_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
