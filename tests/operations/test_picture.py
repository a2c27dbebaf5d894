"""The situational picture and the crisis pages around it: stock bottlenecks say what they measure,
an exercise is marked once, and a late situation report is received, not missing.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from beredskap.operations import integrations
from beredskap.operations.picture import DAYS_PER_MONTH, STOCK_DAYS_THRESHOLD, stock_bottlenecks
from beredskap.operations.services import sitreps
from tests.factories import make_user, verified_client

GREEN = {
    "situation": "Rolig",
    **{
        f"{s}_colour": "green"
        for s in ("situation", "consequences", "needs", "measures", "outlook")
    },
}


def _stock(product: str, days: float, below_requirement: bool = False) -> dict:
    return {
        "product": product,
        "months_of_coverage": days / DAYS_PER_MONTH,
        "below_requirement": below_requirement,
    }


# --- stock bottlenecks ----------------------------------------------------------------------------


def test_a_75_day_stock_is_not_labelled_under_30_days_and_a_20_day_stock_is():
    found = stock_bottlenecks([_stock("Propofol", 75), _stock("Smittefrakk", 20)])
    assert found == ["Lager under 30 dager: Smittefrakk (20 dager)"]
    assert STOCK_DAYS_THRESHOLD == 30


def test_a_75_day_stock_below_its_requirement_is_labelled_as_below_the_requirement_with_its_days():
    found = stock_bottlenecks([_stock("Propofol", 75, below_requirement=True)])
    assert found == ["Lager under beredskapskravet: Propofol (75 dager)"]
    assert "under 30 dager" not in found[0]


def test_the_threshold_is_applied_to_the_same_rounded_days_the_label_shows():
    assert stock_bottlenecks([_stock("Hansker", 29.6)]) == []
    assert stock_bottlenecks([_stock("Hansker", 29.4)]) == [
        "Lager under 30 dager: Hansker (29 dager)"
    ]


def test_a_product_with_unknown_coverage_is_not_a_bottleneck():
    assert (
        stock_bottlenecks(
            [{"product": "Ukjent", "months_of_coverage": None, "below_requirement": False}]
        )
        == []
    )


def test_the_picture_page_names_the_short_stock_and_not_the_long_one(
    crisis, coordinator, monkeypatch
):
    lines = [_stock("Propofol", 75, below_requirement=True), _stock("Smittefrakk", 20)]
    monkeypatch.setattr(integrations, "stock_coverage", lambda user, **kw: (lines, True))
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/bilde/").content.decode()
    bottlenecks = page.split('id="bottlenecks"')[1].split("</ul>")[0]
    assert "Lager under 30 dager: Smittefrakk (20 dager)" in bottlenecks
    assert "Lager under beredskapskravet: Propofol (75 dager)" in bottlenecks
    assert "Lager under 30 dager: Propofol" not in bottlenecks


# --- the exercise marker --------------------------------------------------------------------------


@pytest.fixture
def exercise_pages(make_crisis, coordinator, bodo, bodo_reporter):  # type: ignore[no-untyped-def]
    exercise = make_crisis("Pandemiøvelse", exercise=True)
    cycle = _cycle_due_half_an_hour_ago(coordinator, exercise)
    report = sitreps.submit_report(by=bodo_reporter, cycle=cycle, organisation=bodo, **GREEN)
    return exercise, [
        "",
        "bilde/",
        "arbeid/",
        "logg/",
        f"syklus/{cycle.pk}/",
        f"rapport/{report.pk}/",
    ]


def test_every_page_of_an_exercise_shows_the_marker_exactly_once(exercise_pages, coordinator):
    exercise, urls = exercise_pages
    client = verified_client(coordinator)
    for url in urls:
        page = client.get(f"/krise/{exercise.pk}/{url}").content.decode()
        assert page.count("ØVELSE") == 1, url
        assert (
            'role="note" id="exercise-marker"' in page
            and 'aria-describedby="exercise-marker"' in page
        ), url


def test_the_refreshed_picture_fragment_does_not_repeat_the_marker(exercise_pages, coordinator):
    exercise, _urls = exercise_pages
    assert (
        "ØVELSE"
        not in verified_client(coordinator)
        .get(f"/krise/{exercise.pk}/bilde/innhold/")
        .content.decode()
    )


def test_no_page_of_a_real_crisis_shows_the_exercise_marker(
    crisis, coordinator, bodo, bodo_reporter
):
    cycle = _cycle_due_half_an_hour_ago(coordinator, crisis)
    report = sitreps.submit_report(by=bodo_reporter, cycle=cycle, organisation=bodo, **GREEN)
    client = verified_client(coordinator)
    for url in ("", "bilde/", "arbeid/", "logg/", f"syklus/{cycle.pk}/", f"rapport/{report.pk}/"):
        page = client.get(f"/krise/{crisis.pk}/{url}").content.decode()
        assert crisis.name in page and "ØVELSE" not in page and "exercise-marker" not in page, url


# --- late situation reports -----------------------------------------------------------------------


def _cycle_due_half_an_hour_ago(coordinator, crisis):  # type: ignore[no-untyped-def]
    due = timezone.localtime() - timedelta(minutes=30)
    return sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Daglig",
        starts_on=due.date(),
        due_time=due.time().replace(second=0, microsecond=0),
        org_kinds=["municipality"],
    )


def test_a_report_after_the_deadline_is_received_late_for_that_period_and_not_missing(
    crisis, coordinator, bodo, bodo_reporter
):
    cycle = _cycle_due_half_an_hour_ago(coordinator, crisis)
    report = sitreps.submit_report(by=bodo_reporter, cycle=cycle, organisation=bodo, **GREEN)
    assert report.period_due == sitreps.deadlines(cycle, timezone.now())[-1] and report.is_late
    missing = {o.name for o, _due in sitreps.overdue(cycle)}
    assert "Bodø kommune" not in missing and "Narvik kommune" in missing


def test_a_report_before_the_deadline_is_not_late(crisis, coordinator, bodo, bodo_reporter):
    cycle = _cycle_due_half_an_hour_ago(coordinator, crisis)
    sitreps.submit_report(by=bodo_reporter, cycle=cycle, organisation=bodo, **GREEN)
    early = sitreps.submit_report(by=bodo_reporter, cycle=cycle, organisation=bodo, **GREEN)
    assert early.period_due > timezone.now() and not early.is_late


def test_the_cycle_page_lists_a_late_report_as_received_with_its_time_and_the_silent_as_missing(
    crisis, coordinator, bodo, bodo_reporter
):
    cycle = _cycle_due_half_an_hour_ago(coordinator, crisis)
    report = sitreps.submit_report(by=bodo_reporter, cycle=cycle, organisation=bodo, **GREEN)
    page = (
        verified_client(coordinator).get(f"/krise/{crisis.pk}/syklus/{cycle.pk}/").content.decode()
    )
    received = page.split('id="reports"')[1].split("</tbody>")[0]
    missing = page.split('id="overdue"')[1].split("</ul>")[0]
    submitted = timezone.localtime(report.submitted_at).strftime("%H:%M")
    assert "Bodø kommune" in received and "For sent" in received and submitted in received
    assert "Bodø kommune" not in missing and "Narvik kommune" in missing


def test_the_picture_shows_a_late_report_as_received_and_only_the_silent_as_missing(
    crisis, coordinator, bodo, bodo_reporter
):
    cycle = _cycle_due_half_an_hour_ago(coordinator, crisis)
    sitreps.submit_report(by=bodo_reporter, cycle=cycle, organisation=bodo, **GREEN)
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/bilde/").content.decode()
    latest = page.split('id="latest-reports"')[1].split("</ul>")[0]
    missing = page.split('id="missing"')[1].split("</ul>")[0]
    assert "Bodø kommune" in latest and "For sent" in latest
    assert "Bodø kommune" not in missing and "Narvik kommune" in missing
    assert "40 rapporter mangler etter fristen" in page


def test_an_outsider_sees_neither_the_late_report_nor_the_missing_list(
    crisis, coordinator, bodo, bodo_reporter, org
):
    cycle = _cycle_due_half_an_hour_ago(coordinator, crisis)
    sitreps.submit_report(by=bodo_reporter, cycle=cycle, organisation=bodo, **GREEN)
    outsider = verified_client(make_user("ute", org("Oslo kommune"), clearance=1))
    assert outsider.get(f"/krise/{crisis.pk}/syklus/{cycle.pk}/").status_code == 404
    assert outsider.get(f"/krise/{crisis.pk}/bilde/").status_code == 404
