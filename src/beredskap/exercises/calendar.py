"""The exercise calendar: a month grid for the page and an iCalendar (RFC 5545) feed per plan."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from beredskap.exercises.models import Exercise, ExercisePlan, ExerciseStatus


@dataclass
class Day:
    day: date
    in_month: bool
    exercises: list[Exercise] = field(default_factory=list)


def parse_month(value: str | None, today: date) -> date:
    """`YYYY-MM` → first day of that month; anything else → this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1) if 1900 < year < 2200 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def month_grid(first: date, exercises: list[Exercise]) -> list[list[Day]]:
    """Weeks (Monday first) of the month, each day with the exercises running that day."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [
        [
            Day(d, d.month == first.month, [e for e in exercises if e.starts_on <= d <= e.ends_on])
            for d in week
        ]
        for week in weeks
    ]


def neighbours(first: date) -> tuple[date, date]:
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return previous, following


FEED_SALT = "beredskap.exercises.feed"


def feed_path(user: Any, plan: ExercisePlan) -> str:
    """The user's subscription path for the plan's iCalendar feed; it stops working when the plan's key is rotated."""
    token = signing.dumps({"u": user.pk, "p": plan.pk, "k": plan.feed_token[:8]}, salt=FEED_SALT)
    return reverse("exercises:plan_feed", args=[plan.pk]) + f"?token={token}"


def ical_feed(plan: ExercisePlan, exercises: list[Exercise], host: str) -> bytes:
    """One VEVENT per exercise (all-day events; DTEND is exclusive)."""
    cal = Calendar()
    cal.add("prodid", "-//Beredskap//Øvingsplan//NB")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", plan.title)
    stamp = timezone.now()
    for exercise in exercises:
        cal.add_component(_event(exercise, host, stamp))
    return cal.to_ical()


def _event(exercise: Exercise, host: str, stamp: datetime) -> Any:
    event = Event()
    # RFC 5545 3.8.4.7: a UID must stay the same whatever Host header the feed was fetched with
    event.add("uid", f"exercise-{exercise.pk}@{_uid_domain()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", exercise.starts_on)
    event.add("dtend", exercise.ends_on + timedelta(days=1))
    event.add("summary", exercise.title)
    description = [exercise.get_exercise_type_display(), exercise.purpose]
    event.add("description", "\n".join(part for part in description if part))
    if exercise.location:
        event.add("location", exercise.location)
    # RFC 5545 3.8.1.11: a planned exercise is not yet fixed; once prepared it is confirmed
    event.add("status", "TENTATIVE" if exercise.status == ExerciseStatus.PLANNED else "CONFIRMED")
    return event


def _uid_domain() -> str:
    """The installation's own domain, from BEREDSKAP_BASE_URL."""
    from urllib.parse import urlsplit

    from django.conf import settings

    return urlsplit(settings.BEREDSKAP_BASE_URL).hostname or "beredskap.invalid"
