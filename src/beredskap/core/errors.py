"""Errors that services raise and every front (HTML, API, CLI) turns into a clear message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class StaleEdit(Exception):
    """Someone else saved the record after you opened it (DESIGN.md rule 3)."""

    def __init__(self, current_version: int | None = None):
        self.current_version = current_version
        super().__init__(
            _(
                "Posten er endret av noen andre etter at du åpnet den. Last siden på nytt og gjør endringen igjen."
            )
        )


class PermissionDenied(Exception):
    """The user may not perform this write."""
