"""Demo data: an exercise-mode pandemic-influenza crisis two weeks in, with an activated council
and expert group, a day of reports from Nordland's municipalities and hospital trust, the county
report, decisions with legal basis, open tasks and requests, and a CAP alert. Idempotent."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone

DEMO_NAME = "Pandemisk influensa (øvelse)"
SECTIONS = ("situation", "consequences", "needs", "measures", "outlook")


def load_demo() -> str:
    from beredskap.actors.models import Body, Organisation
    from beredskap.core.models import County, User
    from beredskap.operations.models import Crisis

    if Crisis.objects.filter(name=DEMO_NAME).exists():
        return "operations: demo finnes allerede"
    by = User.objects.filter(username="sekretariat").first()
    if by is None:
        return "operations: demo-brukerne mangler (kjør actors-demo først)"
    from beredskap.operations.services import activation, crises

    hod = Organisation.objects.get(short_name="HOD")
    crisis = crises.declare_crisis(
        by=by,
        name=DEMO_NAME,
        risk_area="infection",
        crisis_type="Pandemisk influensa",
        owner_org=hod,
        lead_ministry=hod,
        is_exercise=True,
        counties=[County.objects.get(number="18")],
        started_at=timezone.now() - timedelta(days=14),
        classification=0,
        exempt_public=True,
        exempt_legal_basis="offl. § 14",
        reason="Øvelse i pandemihåndtering",
    )
    activation.activate_body(
        by=by,
        crisis=crisis,
        body=Body.objects.get(slug="helseberedskapsradet"),
        reason="Rådet i kriseberedskap",
    )
    group = activation.activate_body(
        by=by,
        crisis=crisis,
        body=Body.objects.get(slug="ekspertutvalg-helsekriser"),
        reason="Råd om smitteverntiltak",
    )
    for name, competence, sub in (
        ("Dr. Marit Lege", "medical", ""),
        ("Per Økonom", "health_economics", ""),
        ("Jon Jurist", "law", ""),
        ("Eva Etiker", "ethics", ""),
        ("Modellgruppen FHI", "modelling", "Smittespredning"),
    ):
        activation.add_expert(
            by=by,
            activation=group,
            name=name,
            competence=competence,
            subgroup=sub,
            organisation=Organisation.objects.get(short_name="FHI") if sub else None,
        )
    _reports(by, crisis)
    _decisions_tasks_requests(by, crisis)
    return f"operations: øvelseskrise «{DEMO_NAME}» med rapporter, vedtak, oppgaver og CAP-varsel"


def _reports(by, crisis) -> None:
    from beredskap.actors.models import Organisation
    from beredskap.operations.services import sitreps

    today = timezone.localdate()
    cycle = sitreps.create_cycle(
        by=by,
        crisis=crisis,
        name="Daglig situasjonsrapport 12:00",
        due_time=time(12, 0),
        starts_on=today - timedelta(days=1),
        org_kinds=["municipality", "statsforvalter", "hf"],
    )
    due = sitreps.deadlines(cycle, timezone.now())[
        -1
    ]  # the latest passed deadline: the reports are for it
    colours = ["green", "yellow", "red"]
    municipalities = [o for o in sitreps.expected_organisations(cycle) if o.kind == "municipality"][
        :12
    ]
    for i, org in enumerate(municipalities):
        fields: dict[str, Any] = {
            f"{s}_colour": colours[(i + k) % 3 if k == 2 else (i // 5) % 2]
            for k, s in enumerate(SECTIONS)
        }
        sitreps.submit_report(
            by=by,
            cycle=cycle,
            organisation=org,
            period_due=due,
            situation=f"{org.name}: økende antall syke, {3 + i} innlagt.",
            needs="Sykepleiere til sykehjem" if fields["needs_colour"] == "red" else "",
            personnel_absence_pct=float(5 + i),
            **fields,
        )
    yellow: dict[str, Any] = {f"{s}_colour": "yellow" for s in SECTIONS}
    for hf in [o for o in sitreps.expected_organisations(cycle) if o.kind == "hf"][:3]:
        sitreps.submit_report(
            by=by,
            cycle=cycle,
            organisation=hf,
            period_due=due,
            situation="Høyt belegg intensiv.",
            **yellow,
        )
    _as_if_on_time(cycle, due)
    sf = Organisation.objects.get(name="Statsforvalteren i Nordland")
    sitreps.build_county_report(by=by, cycle=cycle, statsforvalter=sf, period_due=due)


def _as_if_on_time(cycle, due) -> None:
    """Demo only: the reports were loaded now, after the deadline; date them to the morning before
    it (in arrival order), so the demo shows a day where these arrived in time and the rest are
    missing."""
    from beredskap.operations.models import SituationReport

    reports = SituationReport.objects.filter(cycle=cycle, period_due=due).order_by("pk")
    for i, report_id in enumerate(reports.values_list("pk", flat=True)):
        SituationReport.objects.filter(pk=report_id).update(
            submitted_at=due - timedelta(minutes=90 - 5 * i)
        )


def _decisions_tasks_requests(by, crisis) -> None:
    from beredskap.actors.models import Organisation
    from beredskap.core.models import Municipality
    from beredskap.operations.services import alerts, decisions, resources

    now = timezone.now()

    def org(short: str) -> Organisation:
        return Organisation.objects.filter(short_name=short).first() or Organisation.objects.get(
            name=short
        )

    decisions.record_decision(
        by=by,
        crisis=crisis,
        title="Besøksbegrensning i helseinstitusjoner",
        authority=org("Hdir"),
        level="national",
        subsidiarity="Nasjonalt vedtak fordi smitten spres i flere fylker og krever lik praksis.",
        legal_basis="smittevernloven",
        legal_section="§ 4-1",
        advice_source="expert_group",
        advice_ref="Råd fra ekspertutvalget dag 10",
        valid_from=now - timedelta(days=3),
        valid_until=now + timedelta(days=11),
        review_on=(now + timedelta(days=7)).date(),
        measures=[{"text": "Maks én besøkende per beboer", "municipalities": []}],
    )
    decisions.record_decision(
        by=by,
        crisis=crisis,
        title="Omdisponering av personell",
        authority=org("HOD"),
        level="national",
        subsidiarity="Krever bruk av helseberedskapslovens fullmakter, som bare departementet har.",
        legal_basis="helseberedskapsloven",
        legal_section="§ 4-1",
        valid_from=now - timedelta(days=1),
    )
    first = decisions.create_task(
        by=by,
        crisis=crisis,
        title="Kartlegg intensivkapasitet i Helse Nord",
        owner_org=org("Hdir"),
        due_at=now - timedelta(hours=3),
    )
    decisions.create_task(
        by=by,
        crisis=crisis,
        title="Fordel vaksiner til kommunene",
        owner_org=org("FHI"),
        due_at=now + timedelta(days=2),
        depends_on=[first],
    )
    bodo, narvik = Municipality.objects.get(number="1804"), Municipality.objects.get(number="1806")
    resources.create_request(
        by=by,
        crisis=crisis,
        requested_by=org("Bodø kommune"),
        kind="personnel",
        item="sykepleier",
        quantity=6,
        location=bodo,
        priority=5,
        deadline=now + timedelta(days=1),
    )
    resources.create_offer(
        by=by,
        crisis=crisis,
        organisation=org("Nordlandssykehuset HF"),
        kind="personnel",
        item="sykepleier",
        quantity=4,
        location=narvik,
        max_distance_km=400,
    )
    alerts.publish_alert(
        by=by,
        crisis=crisis,
        event="Pandemisk influensa",
        urgency="Expected",
        severity="Moderate",
        certainty="Likely",
        municipalities=[bodo, narvik],
        infos=[
            {
                "language": "nb-NO",
                "headline": "Influensa: bli hjemme ved feber",
                "description": (
                    "Bli hjemme hvis du har feber, og ring legevakten ved alvorlige symptomer."
                ),
            },
            {
                "language": "nn-NO",
                "headline": "Influensa: ver heime ved feber",
                "description": (
                    "Ver heime om du har feber, og ring legevakta ved alvorlege symptom."
                ),
            },
            {
                "language": "en-GB",
                "headline": "Influenza: stay home if you have a fever",
                "description": (
                    "Stay home if you have a fever and call the emergency clinic if symptoms are "
                    "severe."
                ),
            },
        ],
    )
