"""Browser test of a simulation run: start it from the form, watch the progress bar move to
done (htmx polling), then see the fan charts against capacity and the bottleneck table."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import h1, log_in
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_start_a_run_watch_progress_and_see_results(live_server, page, org, monkeypatch):
    from beredskap.modelling import services, tasks
    from beredskap.modelling.models import SimulationRun

    make_user("analytiker", org("FHI"), role="reporter")
    monkeypatch.setattr(services, "_enqueue", lambda run: None)  # the test itself plays the worker
    monkeypatch.setattr("beredskap.modelling.engine.chunk_size", lambda members: 8)
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )

    log_in(page, live_server.url, "analytiker", next_url="/modellering/ny/")
    assert h1(page) == "Ny simulering"
    page.get_by_label("Tittel").fill("Nettlesertest")
    page.get_by_label("Antall dager").fill("120")
    page.get_by_label("Antall ensemblemedlemmer").fill("20")
    page.get_by_label("Eksponerte ved start").fill("300")
    page.get_by_label("Intensivkapasitet").select_option("default")
    with page.expect_navigation():
        page.get_by_role("button", name="Start simulering").click()
    assert h1(page) == "Nettlesertest"
    assert page.locator("#run-status").get_attribute("hx-trigger") == "every 1s"
    assert page.locator("#run-progress").get_attribute("value") == "0"
    assert "I kø" in page.locator("#run-status").inner_text()
    assert page.get_by_role("button", name="Avbryt simuleringen").is_visible()
    run = SimulationRun.objects.get(title="Nettlesertest")

    shown: list[int] = []
    original = tasks._progress_writer

    def watching(run_id):  # type: ignore[no-untyped-def]
        inner = original(run_id)

        def progress(percent):  # type: ignore[no-untyped-def]
            still_running = inner(percent)
            page.wait_for_timeout(1400)  # let the page poll the status fragment
            value = page.locator("#run-progress").get_attribute("value")
            shown.append(int(value)) if value else None
            return still_running

        return progress

    monkeypatch.setattr(tasks, "_progress_writer", watching)
    assert tasks.execute_run(run.pk) == "done"
    assert any(0 < v < 100 for v in shown), shown  # the bar moved while the run was going
    assert shown == sorted(shown)

    # Done: the status fragment reloads the page once, which now shows the results.
    page.get_by_role("heading", name="Intensivbelegg per helseregion mot kapasitet").wait_for()
    assert page.locator("#run-progress").get_attribute("value") == "100"
    assert page.locator("#run-status").get_attribute("hx-trigger") is None
    page.locator("#fan-charts[data-ready='true']").wait_for()
    assert page.locator("canvas[data-drawn='true']").count() == 4
    table = page.locator("table.app-bottlenecks").first
    assert table.is_visible() and "Helse Sør-Øst" in table.inner_text()
    page.locator("#run-map[data-ready='true']").wait_for()
    assert page.locator("#run-map path").count() > 300
    assert page.get_by_role("button", name="Avbryt simuleringen").count() == 0
    assert not errors, errors


def test_modelling_pages_have_no_serious_accessibility_violations(live_server, new_page, org):
    from beredskap.modelling import services
    from tests.e2e.helpers import serious_axe_violations

    user = make_user("analytiker", org("FHI"), role="reporter")
    run = services.create_run(
        by=user,
        owner_org=org("FHI"),
        title="Tilgjengelighet",
        parameters={"deterministic": True, "days": 90, "capacity_source": "default"},
    )
    page = new_page(bypass_csp=True)  # axe is injected inline
    log_in(page, live_server.url, "analytiker")
    for path in ("/modellering/", "/modellering/ny/", f"/modellering/{run.pk}/"):
        page.goto(f"{live_server.url}{path}")
        if path.endswith(f"{run.pk}/"):
            page.locator("#run-map[data-ready='true']").wait_for()
        assert serious_axe_violations(page) == [], path
