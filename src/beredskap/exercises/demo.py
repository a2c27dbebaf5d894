"""Demo data: the multi-year national exercise plan with realistic exercises, and two evaluated
exercises with done, open and overdue actions. Idempotent: does nothing if the plan exists."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from beredskap.actors.models import Body, Organisation
from beredskap.core.audit import acting_as
from beredskap.core.models import User
from beredskap.exercises import followup, services
from beredskap.exercises.models import ExercisePlan

PLAN_TITLE = "Nasjonal strategisk øvingsplan for helseberedskapen"


def _org(short: str) -> Organisation:
    return Organisation.objects.filter(short_name=short).first() or Organisation.objects.get(
        name=short
    )


PLANNED: list[dict[str, Any]] = [
    dict(
        title="Intensivkapasitet under press – fullskalaøvelse Helse Sør-Øst",
        exercise_type="full_scale",
        owner="Hdir",
        risk_area="infection",
        offset=120,
        days=2,
        location="Oslo universitetssykehus",
        purpose=(
            "Øve rask opptrapping av intensivkapasiteten til det doble og pasientflyt mellom "
            "helseforetak."
        ),
        participants=[
            ("health", "Helse Sør-Øst RHF"),
            ("health", "Oslo universitetssykehus HF"),
            ("voluntary", "Norsk Folkehjelp"),
        ],
    ),
    dict(
        title="Arctic REIHN – nordisk atomberedskapsøvelse",
        exercise_type="functional",
        owner="DSA",
        risk_area="nuclear",
        offset=200,
        days=3,
        location="Tromsø og Bodø",
        purpose=(
            "Øve varsling, måling og råd om jodtabletter ved et atomuhell i nordområdene sammen "
            "med nordiske land."
        ),
        participants=[
            ("nordic", "Strålsäkerhetsmyndigheten (Sverige)"),
            ("nordic", "STUK (Finland)"),
            ("military", "Forsvaret"),
        ],
    ),
    dict(
        title="Løsepengevirus i helseforetak – diskusjonsøvelse",
        exercise_type="tabletop",
        owner="Hdir",
        risk_area="digital_security",
        offset=60,
        days=1,
        location="Helsedirektoratet",
        purpose=(
            "Avklare roller mellom HelseCERT, helseforetak og kommuner når journalsystemet er "
            "kryptert."
        ),
        participants=[
            ("health", "Norsk helsenett SF"),
            ("business", "Journalleverandør (anonymisert)"),
        ],
    ),
    dict(
        title="Sivil-militær masseskadeøvelse",
        exercise_type="full_scale",
        owner="Hdir",
        risk_area="civil_military",
        offset=300,
        days=2,
        location="Nord-Norge",
        purpose=(
            "Øve mottak av mange skadde soldater og sivile, med alliert forsterkning og "
            "totalforsvar."
        ),
        participants=[
            ("military", "Forsvaret"),
            ("nato_eu", "NATO – allierte sanitetsstyrker"),
            ("voluntary", "Norges Røde Kors"),
        ],
    ),
]


def _planned(by: Any, plan: ExercisePlan, today: date) -> None:
    for spec in PLANNED:
        starts = today + timedelta(days=spec["offset"])
        exercise = services.create_exercise(
            by=by,
            owner_org=_org(spec["owner"]),
            plan=plan,
            title=spec["title"],
            exercise_type=spec["exercise_type"],
            starts_on=starts,
            ends_on=starts + timedelta(days=spec["days"] - 1),
            risk_area=spec["risk_area"],
            purpose=spec["purpose"],
            location=spec["location"],
        )
        for kind, name in spec["participants"]:
            org = (
                Organisation.objects.filter(name=name).first()
                or Organisation.objects.filter(short_name=name).first()
            )
            services.add_participant(
                by=by, exercise=exercise, kind=kind, organisation=org, name="" if org else name
            )
        services.add_objective(
            by=by, exercise=exercise, text="Etablere felles situasjonsforståelse innen to timer"
        )
        services.add_control_role(
            by=by, exercise=exercise, role="director", person_name="Øvingsleder fra eier"
        )


def _evaluated(
    by: Any,
    plan: ExercisePlan,
    today: date,
    *,
    title: str,
    owner: str,
    risk_area: str,
    days_ago: int,
    findings: list[tuple[str, str, list[tuple[str, str, int, str]]]],
) -> None:
    """An exercise run to «evaluated»: findings = (observation, learning point, [(action, org, due
    offset, state)])."""
    exercise = services.create_exercise(
        by=by,
        owner_org=_org(owner),
        plan=plan,
        title=title,
        exercise_type="tabletop",
        risk_area=risk_area,
        starts_on=today - timedelta(days=days_ago),
        purpose="Evaluert øvelse med oppfølging av tiltak.",
    )
    exercise.shared_with_bodies.set(Body.objects.filter(kind="committee", risk_area=risk_area))
    objective = services.add_objective(
        by=by, exercise=exercise, text="Varsle berørte virksomheter innen 30 minutter"
    )
    services.advance_status(by=by, exercise=exercise, to_status="prepared")
    services.advance_status(by=by, exercise=exercise, to_status="conducted")
    evaluation = services.start_evaluation(
        by=by, exercise=exercise, summary="Evaluering etter DSBs metode."
    )
    services.add_observation(
        by=by,
        evaluation=evaluation,
        kind="strength",
        objective=objective,
        rating="S",
        text="Krisestaben ble raskt etablert og hadde god oversikt.",
    )
    for observation_text, point_title, actions in findings:
        observation = services.add_observation(
            by=by,
            evaluation=evaluation,
            kind="improvement",
            objective=objective,
            rating="M",
            text=observation_text,
        )
        point = followup.add_learning_point(
            by=by, evaluation=evaluation, title=point_title, observation=observation
        )
        for action_title, org, due_offset, state in actions:
            action = followup.add_action(
                by=by,
                learning_point=point,
                title=action_title,
                responsible_org=_org(org),
                due_date=today + timedelta(days=due_offset),
                contact="Beredskapsansvarlig",
            )
            if state == "done":
                followup.update_action(
                    by=by,
                    action=action,
                    expected_version=action.version,
                    status="done",
                    evidence="Oppdatert plan publisert og gjennomgått i ledermøte.",
                )
            elif state == "in_progress":
                followup.update_action(
                    by=by, action=action, expected_version=action.version, status="in_progress"
                )
    services.advance_status(by=by, exercise=exercise, to_status="evaluated")


@transaction.atomic
def load_demo() -> str:
    if ExercisePlan.objects.filter(title=PLAN_TITLE).exists():
        return "Øvingsplanen finnes allerede."
    by = (
        User.objects.filter(username="sekretariat").first()
        or User.objects.filter(is_superuser=True).first()
    )
    today = timezone.localdate()
    with acting_as(by):
        plan = services.create_plan(
            by=by,
            owner_org=_org("HOD"),
            title=PLAN_TITLE,
            period_start=today.year,
            period_end=today.year + 3,
            goals=(
                "Øve de seks prioriterte risikoområdene minst én gang i perioden; følge opp alle "
                "læringspunkter."
            ),
            coordination=(
                "Samordnet med Justis- og beredskapsdepartementets og Forsvarsdepartementets "
                "øvingsplaner."
            ),
        )
        _planned(by, plan, today)
        _evaluated(
            by,
            plan,
            today,
            title="Pandemiøvelse – nasjonal diskusjonsøvelse",
            owner="Hdir",
            risk_area="infection",
            days_ago=200,
            findings=[
                (
                    "Varslingslistene til kommunene var utdaterte.",
                    "Varslingslister må holdes oppdatert",
                    [
                        ("Oppdatere varslingslister for alle kommuner", "Hdir", -60, "open"),
                        ("Kvartalsvis kontroll av varslingslister", "FHI", -20, "in_progress"),
                    ],
                ),
                (
                    "Uklart hvem som prioriterer smittevernutstyr.",
                    "Prioritering av smittevernutstyr",
                    [
                        ("Avklare prioriteringsregler for smittevernutstyr", "DMP", -30, "done"),
                        ("Øve prioritering i neste regionale øvelse", "Hdir", 45, "open"),
                    ],
                ),
            ],
        )
        _evaluated(
            by,
            plan,
            today,
            title="Nødvann ved bortfall av vannverk – Nordland",
            owner="Mattilsynet",
            risk_area="water",
            days_ago=150,
            findings=[
                (
                    "Kommunen manglet avtale om nødvann til sykehjem.",
                    "Avtaler om nødvann",
                    [
                        ("Inngå avtale om nødvannsforsyning", "Bodø kommune", -14, "open"),
                        ("Kartlegge abonnenter med særlige behov", "Bodø kommune", 30, "open"),
                    ],
                ),
            ],
        )
    return "Øvingsplan med øvelser og to evaluerte øvelser lagt inn."
