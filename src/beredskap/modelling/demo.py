"""Demo data: one small finished national run, so the demo shows fan charts at once. The demo
crisis is an exercise, so the run is an exercise run, and it is attached to that crisis as its
forecast (the picture shows the fan from today's reported beds)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from beredskap.actors.models import Organisation
from beredskap.core.models import User
from beredskap.modelling import services
from beredskap.modelling.models import RunStatus, SimulationRun
from beredskap.modelling.tasks import execute_run

DEMO_TITLE = "Demo: pandemi med R0 1,8 fra Oslo (deterministisk)"
DEMO_PARAMETERS = {
    "r0": 1.8,
    "days": 240,
    "deterministic": True,
    "seed_municipality": "0301",
    "seed_exposed": 50,
    "seed_infectious": 50,
    "ihr": 0.012,
    "icu_share": 0.2,
    "interventions": [{"start_day": 60, "end_day": 120, "reduction": 0.3}],
    "capacity_source": "reported",
}
#: The demo epidemic began this many days before the demo was loaded, so the crisis picture's
#: "today" is inside the wave rather than at its seeding.
DEMO_DAYS_AGO = 50


def _parameters() -> dict:
    return {
        **DEMO_PARAMETERS,
        "start_date": (timezone.localdate() - timedelta(days=DEMO_DAYS_AGO)).isoformat(),
    }


def load_demo() -> str:
    """Create and run the demo simulation once (idempotent)."""
    existing = SimulationRun.objects.filter(title=DEMO_TITLE).first()
    if existing is not None and existing.status == RunStatus.DONE:
        return "demo run exists"
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return "no demo admin; skipped"
    if existing is not None:  # an earlier demo load was interrupted: start over
        existing.delete()
    hod = Organisation.objects.get(short_name="HOD")
    run = services.create_run(
        by=admin, owner_org=hod, title=DEMO_TITLE, parameters=_parameters(), is_exercise=True
    )
    if run.status == RunStatus.QUEUED:  # database queue: run it here so the demo has results now
        execute_run(run.pk)
    run.refresh_from_db()
    return f"1 run ({run.status}){_attach_to_demo_crisis(admin, run)}"


def _attach_to_demo_crisis(by: User, run: SimulationRun) -> str:
    """Attach the run to the operations demo crisis when both exist."""
    if run.status != RunStatus.DONE:
        return ""
    try:
        from beredskap.operations.demo import DEMO_NAME
        from beredskap.operations.models import Crisis
        from beredskap.operations.services.forecasts import attach_forecast
    except ImportError:
        return ""
    crisis = Crisis.objects.filter(name=DEMO_NAME).first()
    if crisis is None:
        return ""
    attach_forecast(by=by, crisis=crisis, run_id=run.pk, reason="Demo: modellgruppens kjøring")
    return f", attached to {crisis.name}"
