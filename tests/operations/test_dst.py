"""Deadlines and typed times across the daylight-saving changes of 2026 and 2027 in Norway
(summer time starts on the last Sunday of March at 02:00 and ends on the last Sunday of
October at 03:00)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from beredskap.capacity.bulk import parse_moment
from beredskap.core.timeutil import OSLO, localise_strict
from beredskap.operations.models import ReportingCycle
from beredskap.operations.services import sitreps

SPRING = [date(2026, 3, 29), date(2027, 3, 28)]
AUTUMN = [date(2026, 10, 25), date(2027, 10, 31)]


def _cycle(first: date, due: time, hours: int) -> ReportingCycle:
    return ReportingCycle(name="test", due_time=due, starts_on=first, interval_hours=hours)


def _utc(moments: list[datetime]) -> list[datetime]:
    return [m.astimezone(UTC) for m in moments]


def _night(day: date) -> datetime:
    return datetime.combine(day, time(6, 0), tzinfo=OSLO)


@pytest.mark.parametrize("day", AUTUMN)
def test_an_hourly_cycle_has_both_two_oclocks_of_an_autumn_night(day):
    cycle = _cycle(day - timedelta(days=1), time(22, 0), 1)
    found = _utc(sitreps.deadlines(cycle, _night(day)))
    assert (
        len(found) == len(set(found)) == 10
    )  # 22:00 to 06:00 is nine hours on the clock, ten passed
    twos = [m for m in sitreps.deadlines(cycle, _night(day)) if m.hour == 2]
    assert [m.utcoffset() for m in twos] == [timedelta(hours=2), timedelta(hours=1)]
    assert all(b - a == timedelta(hours=1) for a, b in zip(found, found[1:], strict=False))


@pytest.mark.parametrize("day", SPRING)
def test_an_hourly_cycle_has_no_duplicate_and_no_two_oclock_on_a_spring_night(day):
    cycle = _cycle(day - timedelta(days=1), time(22, 0), 1)
    local = sitreps.deadlines(cycle, _night(day))
    found = _utc(local)
    assert len(found) == len(set(found)) == 8  # 22:00 to 06:00 with one hour missing
    assert all(b - a == timedelta(hours=1) for a, b in zip(found, found[1:], strict=False))
    assert 2 not in [m.hour for m in local]


@pytest.mark.parametrize("day", SPRING + AUTUMN)
def test_a_daily_cycle_keeps_one_deadline_a_day_at_the_same_wall_time(day):
    cycle = _cycle(day - timedelta(days=3), time(12, 0), 24)
    local = sitreps.deadlines(cycle, datetime.combine(day + timedelta(days=3), time(13), OSLO))
    assert len(local) == 7 and len({m.date() for m in local}) == 7
    assert {(m.hour, m.minute) for m in local} == {(12, 0)}


@pytest.mark.parametrize("day", AUTUMN)
def test_a_daily_cycle_due_in_the_repeated_hour_has_one_deadline_that_night(day):
    cycle = _cycle(day - timedelta(days=1), time(2, 30), 24)
    local = sitreps.deadlines(cycle, _night(day))
    assert [m.date() for m in local] == [day - timedelta(days=1), day]
    assert local[-1].utcoffset() == timedelta(hours=2)  # the first 02:30


@pytest.mark.parametrize("day", AUTUMN)
def test_a_report_for_the_second_two_oclock_is_accepted_as_a_deadline(day):
    cycle = _cycle(day - timedelta(days=1), time(22, 0), 1)
    second_two = datetime.combine(day, time(1, 0), UTC)  # 02:00 +01:00
    sitreps._validate_period(cycle, second_two, _night(day))
    sitreps._validate_period(cycle, second_two.astimezone(OSLO), _night(day))
    with pytest.raises(ValidationError):
        sitreps._validate_period(cycle, second_two + timedelta(minutes=30), _night(day))


@pytest.mark.parametrize("day", SPRING)
def test_a_time_that_does_not_exist_is_refused(day):
    with pytest.raises(ValidationError) as caught:
        localise_strict(datetime.combine(day, time(2, 30)))
    assert caught.value.code == "nonexistent_time"
    with pytest.raises(ValidationError, match="finnes ikke"):
        parse_moment(f"{day:%Y-%m-%d} 02:30", "tidspunkt")


@pytest.mark.parametrize("day", AUTUMN)
def test_an_ambiguous_time_asks_for_the_offset_and_is_taken_with_one(day):
    with pytest.raises(ValidationError, match=r"\+01:00"):
        parse_moment(f"{day:%Y-%m-%d} 02:30", "tidspunkt")
    second = parse_moment(f"{day:%Y-%m-%d}T02:30+01:00", "tidspunkt")
    assert second.astimezone(UTC) == datetime.combine(day, time(1, 30), UTC)
    assert parse_moment(f"{day:%Y-%m-%d} 03:30", "tidspunkt").utcoffset() == timedelta(hours=1)


def test_a_deadline_with_a_time_zone_is_refused(crisis, coordinator):
    with pytest.raises(ValidationError, match="tidssone"):
        sitreps.create_cycle(
            by=coordinator,
            crisis=crisis,
            name="x",
            due_time=time(12, 0, tzinfo=UTC),
            starts_on=date.today(),
            org_kinds=["municipality"],
        )
