"""The exercise calendar: a month grid for the page and an iCalendar (RFC 5545) feed per plan."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event

from beredskap.core.classification import Classification
from beredskap.exercises.feedkeys import CalendarFeedKey, hash_key
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


def feed_path(plan: ExercisePlan, secret: str) -> str:
    """The subscription path of a calendar key (the secret is in the link, only its hash stored)."""
    return reverse("exercises:plan_feed", args=[plan.pk]) + f"?token={secret}"


def active_key(secret: str, plan_pk: int) -> CalendarFeedKey | None:
    """The key a feed request presents, if it is for this plan and still works."""
    if not secret or len(secret) > 200:
        return None
    return (
        CalendarFeedKey.objects.active()
        .select_related("user")
        .filter(key_hash=hash_key(secret), plan_id=plan_pk)
        .first()
    )


def feed_exercises(key: CalendarFeedKey) -> list[Exercise]:
    """What the key's feed carries, decided at each fetch by the holder's current clearance and
    need-to-know: the plan's exercises she sees, and of those only UGRADERT ones unless she has
    turned classified entries on for this key."""
    visible = Exercise.objects.visible_to(key.user).filter(plan_id=key.plan_id)
    if not key.include_classified:
        visible = visible.filter(classification=Classification.UGRADERT)
    return list(visible.order_by("starts_on", "pk"))


def feed_name(plan: ExercisePlan, include_classified: bool) -> str:
    """The calendar's name: a classified plan's title only in a feed that carries markings."""
    if plan.classification == Classification.UGRADERT:
        return plan.title
    if include_classified:
        return f"{_marking(plan.classification)} {plan.title}"
    return str(_("Øvingsplan"))


def ical_feed(plan: ExercisePlan, exercises: list[Exercise], host: str, name: str) -> bytes:
    """One VEVENT per exercise (all-day events; DTEND is exclusive)."""
    cal = Calendar()
    cal.add("prodid", "-//Beredskap//Øvingsplan//NB")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for exercise in exercises:
        cal.add_component(_event(exercise, host, stamp))
    return cal.to_ical()


def _marking(level: int) -> str:
    return f"[{Classification(level).label}]"


def _event(exercise: Exercise, host: str, stamp: datetime) -> Any:
    """A classified exercise carries its marking in SUMMARY and DESCRIPTION and CLASS:CONFIDENTIAL
    (RFC 5545 3.8.1.3), so a calendar program shows and treats it as such."""
    event = Event()
    # RFC 5545 3.8.4.7: a UID must stay the same whatever Host header the feed was fetched with
    event.add("uid", f"exercise-{exercise.pk}@{_uid_domain()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", exercise.starts_on)
    event.add("dtend", exercise.ends_on + timedelta(days=1))
    classified = exercise.classification != Classification.UGRADERT
    prefix = f"{_marking(exercise.classification)} " if classified else ""
    event.add("summary", prefix + exercise.title)
    description = [
        prefix.strip(),
        exercise.get_exercise_type_display(),
        exercise.purpose,
    ]
    event.add("description", "\n".join(part for part in description if part))
    if exercise.location:
        event.add("location", exercise.location)
    if classified:
        event.add("class", "CONFIDENTIAL")
    elif exercise.exempt_public:
        event.add("class", "PRIVATE")
    else:
        event.add("class", "PUBLIC")
    # RFC 5545 3.8.1.11: a planned exercise is not yet fixed; once prepared it is confirmed
    event.add("status", "TENTATIVE" if exercise.status == ExerciseStatus.PLANNED else "CONFIRMED")
    return event


def _uid_domain() -> str:
    """The installation's own domain, from BEREDSKAP_BASE_URL."""
    from urllib.parse import urlsplit

    from django.conf import settings

    return urlsplit(settings.BEREDSKAP_BASE_URL).hostname or "beredskap.invalid"
