"""Wall-clock time in Europe/Oslo, the installation's zone, and the instants it stands for.

Times are stored in UTC and shown in Europe/Oslo. Twice a year the two do not map one to one:
on the last Sunday of March the hour 02:00–03:00 does not exist, and on the last Sunday of
October the hour 02:00–03:00 happens twice (first in summer time, +02:00, then in standard
time, +01:00; Python marks the second with ``fold=1``). A local time typed without an offset is
refused when it does not exist and, when it is ambiguous, the sender is asked for the offset:
guessing would store an instant an hour away from the one meant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OSLO = ZoneInfo("Europe/Oslo")

# Event times before this are typing errors (the records this system keeps start long after).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def is_nonexistent(wall: datetime, zone: ZoneInfo = OSLO) -> bool:
    """True if the naive local `wall` time falls in the gap of a spring change."""
    aware = wall.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall


def is_ambiguous(wall: datetime, zone: ZoneInfo = OSLO) -> bool:
    """True if the naive local `wall` time happens twice (the repeated autumn hour)."""
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    return first.utcoffset() != second.utcoffset() and not is_nonexistent(wall, zone)


def localise_strict(wall: datetime, zone: ZoneInfo = OSLO, field: str = "") -> datetime:
    """A naive local time as an aware one; a time that does not exist or happens twice is
    refused."""
    if wall.tzinfo is not None:
        return wall
    if is_nonexistent(wall, zone):
        message = _(
            "%(t)s finnes ikke i norsk tid (klokken stilles fram den natten). Oppgi et gyldig "
            "klokkeslett eller tidssone, f.eks. +01:00."
        ) % {"t": wall.strftime("%Y-%m-%d %H:%M")}
        raise ValidationError({field: message} if field else message, code="nonexistent_time")
    if is_ambiguous(wall, zone):
        message = _(
            "%(t)s forekommer to ganger i norsk tid (klokken stilles tilbake den natten). "
            "Oppgi tidssone: +02:00 for den første, +01:00 for den andre."
        ) % {"t": wall.strftime("%Y-%m-%d %H:%M")}
        raise ValidationError({field: message} if field else message, code="ambiguous_time")
    return wall.replace(tzinfo=zone)


def wall_instants(wall: datetime, zone: ZoneInfo = OSLO, *, both_folds: bool) -> list[datetime]:
    """The instants a naive local `wall` time stands for, in order.

    A time in the spring gap is moved forward by the gap (02:30 becomes 03:30 summer time); a
    time in the repeated autumn hour is its first occurrence, or both when `both_folds`.
    """
    first = wall.replace(tzinfo=zone, fold=0)
    if is_nonexistent(wall, zone):
        return [first.astimezone(UTC).astimezone(zone)]
    if both_folds and is_ambiguous(wall, zone):
        return [first, wall.replace(tzinfo=zone, fold=1)]
    return [first]


def same_instant(a: datetime, b: datetime) -> bool:
    """Compare two aware datetimes as instants (Python compares two times of the same zone by
    wall clock and ignores `fold`, so the two 02:30s of an autumn night would be equal)."""
    return a.astimezone(UTC) == b.astimezone(UTC)


def check_plausible(
    moment: datetime, *, field: str, future: timedelta | None = timedelta(0)
) -> datetime:
    """Refuse an event time before 2000 or further ahead than `future` (None: no upper bound).

    A time zone is required: a naive time is refused rather than guessed.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationError(
            {field: _("Tidspunktet må ha tidssone (f.eks. 2026-03-01T12:00:00+01:00).")},
            code="naive_datetime",
        )
    if moment < EARLIEST:
        raise ValidationError(
            {field: _("Tidspunktet kan ikke være før år 2000.")}, code="implausible_time"
        )
    if future is not None and moment > datetime.now(UTC) + future + timedelta(minutes=5):
        raise ValidationError(
            {field: _("Tidspunktet er for langt fram i tid.")}, code="implausible_time"
        )
    return moment


#: Norwegian month names (bokmål, lower case): «4. desember 2026» in documents the state sends,
#: and the dates the white paper writes in words.
MONTHS_NB = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)
