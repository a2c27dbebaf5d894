"""Errors that services raise and every front (HTML, API, CLI) turns into a clear message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _


class StaleEdit(Exception):
    """Someone else saved the record after you opened it (refused, never silently overwritten)."""

    def __init__(self, current_version: int | None = None):
        self.current_version = current_version
        super().__init__(
            _(
                "Posten er endret av noen andre etter at du åpnet den. Last siden på nytt og "
                "gjør endringen igjen."
            )
        )


class PermissionDenied(Exception):
    """The user may not perform this write."""


class Conflict(ValidationError):
    """The write clashes with a record already stored under a uniqueness rule of the database.

    A ValidationError, so every form shows it as a form error; the API answers it with 409
    (RFC 9110 15.5.10: the request conflicts with the current state of the resource).
    """


@contextmanager
def refuse_duplicate(message: Any) -> Iterator[None]:
    """Turn a unique-constraint violation inside the block into a Conflict with `message`.

    The friendly `.exists()` pre-check answers the common case; this answers the race where two
    requests pass the pre-check at once and the database constraint refuses the second. Put it
    outside the block's `transaction.atomic()` so the savepoint is rolled back first.
    """
    try:
        yield
    except IntegrityError as exc:
        raise Conflict(message, code="duplicate") from exc
