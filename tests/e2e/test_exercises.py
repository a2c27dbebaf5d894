"""Browser: a committee lead runs an exercise through evaluation and cannot close it while an
action is open; the calendar and the evaluation page pass axe (WCAG 2.1 AA)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.helpers import describe, h1, log_in, serious_axe_violations
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_a_lead_runs_an_exercise_through_evaluation_and_closes_it_only_when_actions_are_done(
    live_server, new_page, org
):
    from beredskap.exercises import services
    from beredskap.exercises.models import Exercise

    make_user("leder", org("Hdir"), role="reporter")
    outsider_exercise_title = "Kommunens egen øvelse"
    services.create_exercise(
        by=make_user("bodo", org("Bodø kommune"), role="reporter"),
        owner_org=org("Bodø kommune"),
        title=outsider_exercise_title,
        exercise_type="drill",
        starts_on=timezone.localdate(),
        classification=0,
        exempt_public=True,
        exempt_legal_basis="offl. § 13",
    )
    page = new_page(bypass_csp=True)
    log_in(page, live_server.url, "leder")
    start = (timezone.localdate() - timedelta(days=10)).isoformat()

    page.goto(f"{live_server.url}/ovelser/ny/")
    page.get_by_label("Tittel").fill("Intensivøvelse Sør-Øst")
    page.get_by_label("Øvingsform").select_option("full_scale")
    page.get_by_label("Startdato").fill(start)
    page.get_by_label("Eierorganisasjon").select_option(label="Helsedirektoratet")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").click()
    assert h1(page) == "Intensivøvelse Sør-Øst"

    page.get_by_text("Nytt mål").click()
    page.locator("#id_objective-text").fill("Doble intensivkapasiteten på 24 timer")
    with page.expect_navigation():
        page.get_by_role("button", name="Legg til mål").click()
    for _step in range(2):
        with page.expect_navigation():
            page.get_by_role("button", name="Flytt til neste status").click()
    assert page.locator("#exercise-status").inner_text() == "Gjennomført"
    with page.expect_navigation():
        page.get_by_role("button", name="Start evaluering").click()

    page.get_by_text("Ny observasjon").click()
    page.locator("#id_observation-kind").select_option("improvement")
    page.locator("#id_observation-text").fill("For få intensivsykepleiere på natt")
    with page.expect_navigation():
        page.get_by_role("button", name="Registrer observasjon").click()
    page.get_by_text("Nytt læringspunkt").click()
    page.locator("#id_point-title").fill("Bemanning av intensiv")
    with page.expect_navigation():
        page.get_by_role("button", name="Registrer læringspunkt").click()
    page.get_by_text("Nytt tiltak for «Bemanning av intensiv»").click()
    page.locator("[id$=_action-title]").fill("Kompetanseløft for sykepleiere")
    page.locator("[id$=_action-responsible_org]").select_option(label="Helsedirektoratet")
    page.locator("[id$=_action-due_date]").fill(timezone.localdate().isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Legg til tiltak").click()

    with page.expect_navigation():
        page.get_by_role("button", name="Lukk evalueringen og øvelsen").click()
    main = page.locator("main").inner_text()
    assert "kan ikke lukkes" in main and "Kompetanseløft for sykepleiere" in main
    assert Exercise.objects.get(title="Intensivøvelse Sør-Øst").status == "conducted"
    assert serious_axe_violations(page) == [], describe(serious_axe_violations(page))

    page.get_by_text("Oppdater «Kompetanseløft for sykepleiere»").click()
    page.locator("select[name=status]").select_option("done")
    page.get_by_label("Dokumentasjon av gjennomføring").fill("Kurs holdt for 40 sykepleiere")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre status").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Lukk evalueringen og øvelsen").click()
    assert "Evalueringen og øvelsen er lukket" in page.locator("main").inner_text()
    assert Exercise.objects.get(title="Intensivøvelse Sør-Øst").status == "closed"

    page.goto(f"{live_server.url}/ovelser/kalender/")
    calendar = page.locator("main").inner_text()
    assert "Øvingskalender" in calendar and outsider_exercise_title not in calendar
    assert serious_axe_violations(page) == [], describe(serious_axe_violations(page))


def test_the_follow_up_view_draws_the_trend_and_passes_axe(live_server, new_page, org):
    from tests.exercises.builders import add_point_with_action, conducted_with_evaluation

    secretariat = make_user("sek", org("HOD"), role="secretariat")
    evaluation = conducted_with_evaluation(secretariat, org("Hdir"), risk_area="water")
    add_point_with_action(
        secretariat,
        evaluation,
        org("Mattilsynet"),
        due=timezone.localdate() - timedelta(days=40),
        title="Avtale om nødvann",
    )
    page = new_page(bypass_csp=True)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, live_server.url, "sek")
    page.goto(f"{live_server.url}/ovelser/oppfolging/")
    assert "Mattilsynet" in page.locator("#by-org").inner_text()
    assert "Trygg vannforsyning" in page.locator("#by-area").inner_text()
    assert "31-90" in page.locator("#by-age").inner_text()
    page.wait_for_function(
        "document.getElementById('trend-chart').width > 0 && window.Chart !== undefined"
    )
    assert errors == []
    assert serious_axe_violations(page) == [], describe(serious_axe_violations(page))
