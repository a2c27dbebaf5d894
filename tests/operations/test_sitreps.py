"""Reporting cycles, situation reports, county report and national summary."""

import sys
import types
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import example, given, settings
from hypothesis import strategies as st

from beredskap.core.errors import PermissionDenied
from beredskap.operations import queries
from beredskap.operations.models import ReportingCycle, SituationReport
from beredskap.operations.services import sitreps
from tests.factories import make_user

OSLO = ZoneInfo("Europe/Oslo")
GREEN = {
    f"{s}_colour": "green" for s in ("situation", "consequences", "needs", "measures", "outlook")
}


@pytest.fixture
def cycle(crisis, coordinator):  # type: ignore[no-untyped-def]
    return sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Daglig 12:00",
        due_time=time(12, 0),
        starts_on=timezone.localdate() - timedelta(days=2),
        org_kinds=["municipality", "statsforvalter"],
    )


def _report(user, cycle, org, **colours):  # type: ignore[no-untyped-def]
    fields = {**GREEN, **colours}
    return sitreps.submit_report(
        by=user, cycle=cycle, organisation=org, situation=f"Status {org.name}", **fields
    )


def test_the_cycle_covers_nordland_municipalities_and_its_statsforvalter_only(cycle, org):
    expected = sitreps.expected_organisations(cycle)
    names = {o.name for o in expected}
    assert "Bodø kommune" in names and "Statsforvalteren i Nordland" in names
    assert (
        "Oslo kommune" not in names and len([o for o in expected if o.kind == "municipality"]) == 41
    )


def test_a_reporter_submits_once_per_period_and_sees_the_crisis(cycle, bodo, bodo_reporter):
    report = _report(bodo_reporter, cycle, bodo, needs_colour="red")
    assert report.overall_colour == "red" and report.classification == 1
    assert queries.crises(bodo_reporter).exists()
    with pytest.raises(ValidationError, match="allerede levert"):
        _report(bodo_reporter, cycle, bodo, period_due=report.period_due)


def test_a_report_for_a_cycle_the_organisation_is_not_in_is_refused(cycle, org):
    oslo = org("Oslo kommune")
    with pytest.raises(ValidationError, match="ikke med i rapporteringssyklusen"):
        _report(make_user("oslo", oslo, role="reporter", clearance=1), cycle, oslo)


def test_a_reporter_cannot_report_for_another_municipality(cycle, bodo_reporter, org):
    with pytest.raises(PermissionDenied):
        _report(bodo_reporter, cycle, org("Narvik kommune"))


def test_a_report_without_status_colours_or_at_an_invented_time_is_refused(
    cycle, bodo, bodo_reporter
):
    with pytest.raises(ValidationError):
        sitreps.submit_report(by=bodo_reporter, cycle=cycle, organisation=bodo, situation="x")
    with pytest.raises(ValidationError, match="rapportfrist"):
        _report(bodo_reporter, cycle, bodo, period_due=datetime(2020, 1, 1, 9, tzinfo=OSLO))


def test_capacity_figures_are_taken_live_from_capacity_when_present(
    cycle, bodo, bodo_reporter, monkeypatch
):
    @dataclass(frozen=True)
    class BedLine:
        category: str
        label: str
        staffed: int
        occupied: int
        available: int

    fake = types.ModuleType("beredskap.capacity.summary")
    fake.bed_picture = lambda user, **kw: [BedLine("icu", "Intensiv", 10, 9, 1)]
    monkeypatch.setitem(sys.modules, "beredskap.capacity.summary", fake)
    report = _report(bodo_reporter, cycle, bodo)
    assert report.capacity == [
        {"category": "icu", "label": "Intensiv", "staffed": 10, "occupied": 9, "available": 1}
    ]


def test_without_the_capacity_app_the_report_is_stored_without_figures(
    cycle, bodo, bodo_reporter, monkeypatch
):
    monkeypatch.setitem(sys.modules, "beredskap.capacity.summary", None)
    assert _report(bodo_reporter, cycle, bodo).capacity == []


def test_the_county_report_assembles_from_the_municipalities_and_names_the_missing(
    cycle, bodo, bodo_reporter, org
):
    report = _report(bodo_reporter, cycle, bodo, consequences_colour="yellow")
    narvik = org("Narvik kommune")
    _report(
        make_user("narvik", narvik, role="reporter", clearance=1), cycle, narvik, needs_colour="red"
    )
    sf = org("Statsforvalteren i Nordland")
    sf_user = make_user("sf", sf, role="reporter", clearance=1)
    county = sitreps.build_county_report(
        by=sf_user, cycle=cycle, statsforvalter=sf, period_due=report.period_due
    )
    assert (
        county.kind == "county"
        and county.needs_colour == "red"
        and county.consequences_colour == "yellow"
    )
    assert "Status Bodø kommune" in county.situation and "Mangler rapport fra" in county.situation
    assert "Vefsn kommune" in county.situation and county.sources.count() == 2
    assert county.draft, "a built county report is a draft until the statsforvalter files it"
    k2 = make_user("k2", org("HOD"), role="secretariat", clearance=1)
    with pytest.raises(ValidationError, match="Ingen regionale"):
        sitreps.build_national_summary(by=k2, cycle=cycle, period_due=report.period_due)
    from beredskap.operations.services.county import file_county_report

    county = file_county_report(by=sf_user, report=county, expected_version=county.version)
    national = sitreps.build_national_summary(by=k2, cycle=cycle, period_due=report.period_due)
    assert list(national.sources.all()) == [county] and national.needs_colour == "red"


def test_the_statsforvalter_sees_her_municipalities_reports(cycle, bodo, bodo_reporter, org):
    _report(bodo_reporter, cycle, bodo)
    sf_user = make_user("sf", org("Statsforvalteren i Nordland"), role="reporter", clearance=1)
    assert queries.reports(sf_user).filter(organisation=bodo).exists()


def test_a_report_graded_above_a_users_clearance_stays_hidden(
    cycle, bodo, bodo_reporter, org, coordinator
):
    from beredskap.operations.services.crises import change_level  # noqa: F401

    crisis = cycle.crisis
    crisis.classification = 2
    crisis.save()
    secret = _report(bodo_reporter, cycle, bodo, classification=2)
    assert (
        queries.reports(make_user("hod-konf", org("HOD"), clearance=2))
        .filter(pk=secret.pk)
        .exists()
    )
    assert (
        not queries.reports(make_user("hod-beg", org("HOD"), clearance=1))
        .filter(pk=secret.pk)
        .exists()
    )
    assert not queries.reports(bodo_reporter).filter(pk=secret.pk).exists()


def test_overdue_reports_are_flagged_after_the_deadline(cycle, bodo, bodo_reporter):
    due = sitreps.deadlines(cycle, datetime.now(OSLO))[-1]
    late = {o.name for o, _d in sitreps.overdue(cycle, due + timedelta(minutes=1))}
    assert "Bodø kommune" in late and "Statsforvalteren i Nordland" not in late
    _report(bodo_reporter, cycle, bodo, period_due=due)
    assert "Bodø kommune" not in {
        o.name for o, _d in sitreps.overdue(cycle, due + timedelta(minutes=1))
    }


def test_reports_still_awaited_for_the_next_deadline_are_listed_until_delivered(
    cycle, bodo, bodo_reporter
):
    now = timezone.now()
    next_due = sitreps.next_deadline(cycle, now)
    waiting = {o.name for o in sitreps.awaited(cycle, now)}
    assert (
        "Bodø kommune" in waiting
        and "Statsforvalteren i Nordland" not in waiting
        and len(waiting) == 41
    )
    _report(bodo_reporter, cycle, bodo, period_due=next_due)
    assert "Bodø kommune" not in {o.name for o in sitreps.awaited(cycle, now)}


def _wall_hour(at: datetime, hour: int) -> int:
    """The hour Oslo clocks show for `hour` on that day: one later where it falls in the gap."""
    from datetime import UTC

    wall = datetime.combine(at.astimezone(OSLO).date(), time(hour, 0), tzinfo=OSLO)
    return wall.astimezone(UTC).astimezone(OSLO).hour


@settings(max_examples=40, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 1)),
    days=st.integers(min_value=0, max_value=60),
    hour=st.integers(min_value=0, max_value=23),
)
@example(start=date(2026, 3, 28), days=3, hour=2)
def test_daily_deadlines_stay_at_the_same_oslo_wall_clock_time_across_dst(start, days, hour):
    cycle = ReportingCycle(starts_on=start, due_time=time(hour, 0), interval_hours=24)
    cycle.ends_on = None
    until = datetime.combine(start + timedelta(days=days), time(23, 0), tzinfo=OSLO)
    found = sitreps.deadlines(cycle, until)
    assert len(found) == days + 1 if hour <= 23 else True
    # a wall time in the spring gap (02:00 on the last Sunday of March) is moved forward by the gap
    assert all(d.astimezone(OSLO).hour == _wall_hour(d, hour) for d in found)
    assert all(b > a for a, b in zip(found, found[1:], strict=False))


def test_exercise_reports_never_count_in_a_real_crisis(
    make_crisis, coordinator, bodo, bodo_reporter
):
    real = make_crisis("Ekte")
    exercise = make_crisis("Øvelse", exercise=True)
    cycles = [
        sitreps.create_cycle(
            by=coordinator,
            crisis=c,
            name="Daglig",
            due_time=time(12, 0),
            starts_on=timezone.localdate(),
            org_kinds=["municipality"],
        )
        for c in (real, exercise)
    ]
    _report(bodo_reporter, cycles[1], bodo, needs_colour="red")
    assert not SituationReport.objects.filter(crisis=real).exists()
    assert (
        queries.reports(coordinator, real).count() == 0
        and queries.reports(coordinator, exercise).count() == 1
    )
