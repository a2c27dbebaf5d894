"""Bed reports that add up: a category left out of a report keeps its last figure (with its
age) in facility and national totals; physical beds beside staffed; a half-filled row is an
error."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from beredskap.capacity import summary
from beredskap.capacity.models import BedReport
from beredskap.capacity.queries import beds as queries
from tests.capacity.helpers import make_facility, report
from tests.factories import make_user, verified_client


@pytest.fixture
def nlsh(org):  # type: ignore[no-untyped-def]
    return org("Nordlandssykehuset HF")


def _row(category: str, staffed: int, occupied: int, **extra: int) -> dict:
    return {
        "category": category,
        "staffed": staffed,
        "occupied": occupied,
        "available": staffed - occupied,
        **extra,
    }


def _totals(user) -> dict:  # type: ignore[no-untyped-def]
    return {line.category: line for line in summary.bed_picture(user)}


def test_a_partial_report_keeps_the_other_categories_last_figures(nlsh):
    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh, "Nordlandssykehuset Bodø")
    first = report(
        reporter, facility, hours_ago=5, counts=[_row("icu_vent", 10, 6), _row("ward", 200, 150)]
    )
    report(reporter, facility, hours_ago=1, counts=[_row("icu_vent", 10, 8)])
    totals = _totals(reporter)
    assert totals["ward"].staffed == 200 and totals["ward"].occupied == 150, "not lowered to zero"
    assert totals["ward"].carried == 1 and totals["icu_vent"].carried == 0
    assert totals["ward"].oldest_report_at == first.reported_at
    assert totals["icu_vent"].occupied == 8
    line = queries.facility_lines(reporter)[0]
    assert line.carried == {"ward": first.reported_at} and "icu_vent" not in line.carried


def test_the_picture_page_marks_a_carried_figure(nlsh):
    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh, "Nordlandssykehuset Bodø")
    report(reporter, facility, hours_ago=5, counts=[_row("ward", 200, 150)])
    report(reporter, facility, hours_ago=1, counts=[_row("icu_vent", 10, 8)])
    html = verified_client(reporter).get(reverse("capacity:beds")).content.decode()
    assert "1 enhet med tall fra eldre rapport" in html


def test_physical_beds_are_stored_and_shown_beside_staffed(nlsh):
    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh, "Nordlandssykehuset Bodø")
    report(reporter, facility, counts=[_row("icu_vent", 10, 6, physical=14)])
    assert _totals(reporter)["icu_vent"].physical == 14
    html = verified_client(reporter).get(reverse("capacity:beds")).content.decode()
    assert "<td>14</td><td>10</td>" in html


def test_physical_beds_fewer_than_staffed_are_refused(nlsh):
    from django.core.exceptions import ValidationError

    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh, "Nordlandssykehuset Bodø")
    with pytest.raises(ValidationError, match="fysiske senger"):
        report(reporter, facility, counts=[_row("icu_vent", 10, 6, physical=4)])


def test_a_half_filled_row_is_an_error_not_zeros_and_the_form_keeps_what_was_typed(nlsh):
    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh, "Nordlandssykehuset Bodø")
    data = {
        "facility": facility.pk,
        "reported_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "ventilators_total": 3,
        "ventilators_in_use": 1,
        "ecmo_total": 0,
        "ecmo_in_use": 0,
        "comment": "Kveldsrapport",
        "icu_vent__staffed": 10,
        "icu_vent__occupied": 6,
        "icu_vent__available": 4,
        "ward__staffed": 120,
    }
    response = verified_client(reporter).post(reverse("capacity:report"), data)
    html = response.content.decode()
    assert response.status_code == 400 and not BedReport.objects.exists()
    assert html.count("fyll ut bemannet, belagt og ledig") == 2
    assert 'value="120"' in html and 'value="Kveldsrapport"' in html
