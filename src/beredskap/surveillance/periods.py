"""ISO weeks: a weekly period is stored as the Monday of its ISO 8601 week."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_period(text: str) -> dt.date:
    """``2024-W05`` (ISO week) or an ISO date (moved to the Monday of its week)."""
    text = (text or "").strip()
    try:
        if "W" in text.upper():
            year, week = text.upper().split("-W")
            return dt.date.fromisocalendar(int(year), int(week), 1)
        return week_start(dt.date.fromisoformat(text))
    except ValueError as exc:
        raise ValidationError(
            _("Ugyldig periode «%(p)s» (bruk ÅÅÅÅ-Www eller ÅÅÅÅ-MM-DD).") % {"p": text}
        ) from exc


def label(day: dt.date) -> str:
    year, week, _day = day.isocalendar()
    return f"{year}-U{week:02d}"
