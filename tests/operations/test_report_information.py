"""Situation reports carry information: no default colour, distinct computed states, the county
report as a draft that is edited and filed, no not-yet-due municipality listed as missing."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from beredskap.operations.report_states import report_state
from beredskap.operations.services import county, sitreps
from tests.factories import make_user, token_for, verified_client

SECTIONS = ("situation", "consequences", "needs", "measures", "outlook")
GREEN = {f"{s}_colour": "green" for s in SECTIONS}


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


def test_an_untouched_report_form_cannot_be_delivered_and_keeps_what_was_typed(
    cycle, bodo, bodo_reporter
):
    client = verified_client(bodo_reporter)
    url = reverse("operations:report_submit", args=[cycle.crisis.pk, cycle.pk])
    response = client.post(
        url, {"organisation": bodo.pk, "needs": "Trenger 4 intensivsykepleiere", "needs_colour": ""}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Trenger 4 intensivsykepleiere" in html
    assert html.count("Velg statusfarge") >= 5 and "Beskriv situasjonen" in html
    assert not cycle.reports.exists()


def test_the_report_form_offers_no_preselected_colour(cycle, bodo_reporter):
    client = verified_client(bodo_reporter)
    html = client.get(reverse("operations:cycle", args=[cycle.crisis.pk, cycle.pk])).content
    assert b"\xe2\x80\x93 velg status \xe2\x80\x93" in html
    assert b'value="green" selected' not in html


def test_the_api_refuses_a_report_without_colours_with_every_missing_field(
    client, cycle, bodo, bodo_reporter
):
    url = f"/api/v1/crises/{cycle.crisis.pk}/cycles/{cycle.pk}/reports"
    body = {"organisation_id": bodo.pk, **{f"{s}_colour": "" for s in SECTIONS}}
    response = client.post(url, body, content_type="application/json", **token_for(bodo_reporter))
    assert response.status_code == 400, response.content
    text = response.content.decode()
    assert "Velg statusfarge" in text and "Beskriv situasjonen" in text
    assert not cycle.reports.exists()


def test_a_service_call_without_situation_is_refused(cycle, bodo, bodo_reporter):
    with pytest.raises(ValidationError) as info:
        sitreps.submit_report(by=bodo_reporter, cycle=cycle, organisation=bodo, **GREEN)
    assert "situation" in info.value.error_dict


@pytest.mark.parametrize(
    ("offset_hours", "reported", "expected"),
    [
        (-30, False, "not_due"),
        (-3, False, "not_due"),
        (-1, False, "due"),
        (0, False, "due"),
        (1, False, "overdue"),
        (23, False, "overdue"),
        (25, False, "missing"),
        (25, True, "received"),
        (-1, True, "received"),
    ],
)
def test_not_due_due_overdue_and_missing_are_distinct(cycle, offset_hours, reported, expected):  # type: ignore[no-untyped-def]
    due = sitreps.deadlines(cycle, timezone.now())[-1]
    now = due + timedelta(hours=offset_hours)
    assert report_state(cycle, due, reported=reported, now=now) == expected


def _sf(org):  # type: ignore[no-untyped-def]
    sf = org("Statsforvalteren i Nordland")
    return sf, make_user("sf", sf, role="reporter", clearance=1)


def test_a_county_report_for_a_deadline_not_yet_passed_lists_nobody_as_missing(
    cycle, bodo, bodo_reporter, org
):
    upcoming = sitreps.next_deadline(cycle, timezone.now())
    sitreps.submit_report(
        by=bodo_reporter,
        cycle=cycle,
        organisation=bodo,
        period_due=upcoming,
        situation="Rolig",
        **GREEN,
    )
    sf, sf_user = _sf(org)
    draft = sitreps.build_county_report(
        by=sf_user, cycle=cycle, statsforvalter=sf, period_due=upcoming
    )
    assert "Mangler rapport" not in draft.situation and "venter på" in draft.situation


def test_the_statsforvalter_edits_and_files_her_draft_on_the_page(cycle, bodo, bodo_reporter, org):
    report = sitreps.submit_report(
        by=bodo_reporter, cycle=cycle, organisation=bodo, situation="Rolig", **GREEN
    )
    sf, sf_user = _sf(org)
    draft = sitreps.build_county_report(
        by=sf_user, cycle=cycle, statsforvalter=sf, period_due=report.period_due
    )
    outsider = verified_client(bodo_reporter)
    page = reverse("operations:report", args=[cycle.crisis.pk, draft.pk])
    assert outsider.get(page).status_code == 404, "a draft is the office's own until filed"
    client = verified_client(sf_user)
    assert "Utkast – ikke sendt inn" in client.get(page).content.decode()
    data = {
        "version": draft.version,
        "situation": "Nordland: rolig, men Vefsn har ikke rapportert",
        **GREEN,
        "needs_colour": "yellow",
        "file": "1",
    }
    response = client.post(
        reverse("operations:county_edit", args=[cycle.crisis.pk, draft.pk]), data
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.draft and draft.needs_colour == "yellow" and "Vefsn" in draft.situation
    assert outsider.get(page).status_code in (200, 404)  # visibility now follows the crisis rules
    with pytest.raises(ValidationError, match="allerede sendt inn"):
        sitreps.build_county_report(
            by=sf_user, cycle=cycle, statsforvalter=sf, period_due=report.period_due
        )
    with pytest.raises(ValidationError):
        county.edit_county_report(
            by=sf_user, report=draft, expected_version=draft.version, situation="x"
        )


def test_a_reporter_is_reminded_on_min_side_before_the_deadline(
    crisis, coordinator, bodo, bodo_reporter
):
    from beredskap.operations.panels import start_panels

    soon = timezone.localtime() + timedelta(minutes=60)
    soon_cycle = sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Snart",
        starts_on=soon.date(),
        due_time=soon.time().replace(second=0, microsecond=0),
        org_kinds=["municipality"],
    )
    rows = start_panels(bodo_reporter)[0]["overdue"]
    assert [(r["organisation"], r["state"]) for r in rows] == [("Bodø kommune", "due")]
    html = verified_client(bodo_reporter).get("/").content.decode()
    assert "Forfalt – frist snart" in html
    sitreps.submit_report(
        by=bodo_reporter, cycle=soon_cycle, organisation=bodo, situation="Rolig", **GREEN
    )
    assert not start_panels(bodo_reporter)


def test_the_national_summary_is_a_page_built_from_filed_county_reports(
    cycle, bodo, bodo_reporter, coordinator, org
):
    report = sitreps.submit_report(
        by=bodo_reporter, cycle=cycle, organisation=bodo, situation="Rolig", **GREEN
    )
    sf, sf_user = _sf(org)
    draft = sitreps.build_county_report(
        by=sf_user, cycle=cycle, statsforvalter=sf, period_due=report.period_due
    )
    client = verified_client(coordinator)
    page = reverse("operations:national", args=[cycle.crisis.pk, cycle.pk])
    build = reverse("operations:national_build", args=[cycle.crisis.pk, cycle.pk])
    assert "Ingen nasjonal oppsummering ennå" in client.get(page).content.decode()
    period = {"period_due": timezone.localtime(report.period_due).isoformat()}
    client.post(build, period)
    assert "Ingen nasjonal oppsummering ennå" in client.get(page).content.decode(), "draft left out"
    county.file_county_report(by=sf_user, report=draft, expected_version=draft.version)
    response = client.post(build, period, follow=True)
    assert "Nasjonal oppsummering: " in response.content.decode()
    assert "Ingen nasjonal oppsummering ennå" not in client.get(page).content.decode()
    reporter_page = verified_client(bodo_reporter).get(page).content.decode()
    assert "Sett sammen nasjonal oppsummering" not in reporter_page


def test_the_coordinator_gets_one_batched_notice_of_arriving_reports(
    cycle, bodo, bodo_reporter, coordinator, org
):
    from beredskap.operations.panels import start_panels

    assert not start_panels(coordinator) or not start_panels(coordinator)[0]["arrivals"]
    narvik = org("Narvik kommune")
    narvik_user = make_user("narvik", narvik, role="reporter", clearance=1)
    for user, place in ((bodo_reporter, bodo), (narvik_user, narvik)):
        sitreps.submit_report(by=user, cycle=cycle, organisation=place, situation="Rolig", **GREEN)
    arrivals = start_panels(coordinator)[0]["arrivals"]
    assert [(a["cycle"], a["count"]) for a in arrivals] == [("Daglig 12:00", 2)]
    assert "2 rapporter mottatt" in verified_client(coordinator).get("/").content.decode()
    assert not start_panels(bodo_reporter) or not start_panels(bodo_reporter)[0]["arrivals"]
