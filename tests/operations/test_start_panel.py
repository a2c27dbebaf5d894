"""The crisis panel on the start page: a reporter sees her own late report, a coordinator one
line per cycle with the count, a statsforvalter the count of her own counties' municipalities."""

from datetime import timedelta

import pytest
from django.utils import timezone

from beredskap.operations.panels import start_panels
from beredskap.operations.services import sitreps
from tests.factories import make_user, verified_client

GREEN = {
    "situation": "Rolig",
    **{
        f"{s}_colour": "green"
        for s in ("situation", "consequences", "needs", "measures", "outlook")
    },
}


@pytest.fixture
def late_cycle(coordinator, crisis):  # type: ignore[no-untyped-def]
    """Nordland's 41 municipalities and its statsforvalter must report; the deadline passed 30 min
    ago."""
    due = timezone.localtime() - timedelta(minutes=30)
    return sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Daglig",
        starts_on=due.date(),
        due_time=due.time().replace(second=0, microsecond=0),
        org_kinds=["municipality", "statsforvalter"],
    )


def _panel(user):  # type: ignore[no-untyped-def]
    panels = start_panels(user)
    return panels[0] if panels else {"overdue": [], "followed": []}


def test_the_coordinator_gets_one_line_per_cycle_with_the_count(
    late_cycle, coordinator, bodo, bodo_reporter
):
    sitreps.submit_report(by=bodo_reporter, cycle=late_cycle, organisation=bodo, **GREEN)
    panel = _panel(coordinator)
    assert panel["overdue"] == []
    assert [(s["cycle_id"], s["count"], s["all"]) for s in panel["followed"]] == [
        (late_cycle.pk, 40, True)
    ]
    page = " ".join(verified_client(coordinator).get("/").content.decode().split())
    assert "40 rapporter mangler etter fristen" in page and "Narvik kommune" not in page


def test_the_reporter_sees_her_own_late_report_and_no_summary(late_cycle, org):
    narvik = make_user("narvik", org("Narvik kommune"), role="reporter", clearance=1)
    panel = _panel(narvik)
    assert [o["organisation"] for o in panel["overdue"]] == ["Narvik kommune"] and panel[
        "followed"
    ] == []


def test_the_statsforvalter_counts_her_municipalities_and_another_office_sees_nothing(
    late_cycle, org, bodo, bodo_reporter
):
    sitreps.submit_report(by=bodo_reporter, cycle=late_cycle, organisation=bodo, **GREEN)
    adviser = make_user("sfno", org("Statsforvalteren i Nordland"), clearance=1)
    panel = _panel(adviser)
    assert [(s["count"], s["all"]) for s in panel["followed"]] == [(40, False)]
    page = " ".join(verified_client(adviser).get("/").content.decode().split())
    assert "40 av dine kommuner har ikke rapportert" in page
    oslo = make_user("sfin", org("Statsforvalteren i Innlandet"), clearance=1)
    assert _panel(oslo)["followed"] == []
