"""Demo data for risk (idempotent): the sector's comprehensive ROS with events from the white
paper's own examples across all risk areas, and overall ROS for the municipalities of Nordland
with a realistic mix of current, overdue and missing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from beredskap.actors.models import Body, Organisation
from beredskap.core.audit import acting_as
from beredskap.core.classification import Classification
from beredskap.core.models import Municipality, User
from beredskap.risk import services
from beredskap.risk.models import (
    AnalysisScope,
    AnalysisStatus,
    ConsequenceAssessment,
    RosAnalysis,
    UndesiredEvent,
)

SECTOR_TITLE = "Helhetlig ROS for helse- og omsorgssektoren"

# (title, risk area, nature, probability 1–5 or None, {consequence type: class}, uncertainty, VTV or
# None)
EVENTS = [
    (
        "Masseskadehendelse ved væpnet angrep",
        "civil_military",
        "intentional",
        None,
        {"life_health": 5, "stability": 5, "material": 4},
        "high",
        (4, 3, 3),
    ),
    (
        "Hybride angrep mot sykehusenes infrastruktur",
        "civil_military",
        "intentional",
        None,
        {"life_health": 3, "stability": 4},
        "high",
        (4, 3, 2),
    ),
    (
        "Mottak av mange krigsskadde pasienter fra utlandet (medevac)",
        "civil_military",
        "unintentional",
        3,
        {"life_health": 3, "stability": 3},
        "medium",
        None,
    ),
    (
        "Sabotasje mot strømforsyningen til et universitetssykehus",
        "civil_military",
        "intentional",
        None,
        {"life_health": 4, "stability": 3, "material": 3},
        "medium",
        (4, 2, 2),
    ),
    (
        "Forsvarets behov for sivile helseressurser i krig",
        "civil_military",
        "unintentional",
        2,
        {"life_health": 4, "stability": 4},
        "high",
        None,
    ),
    (
        "Løsepengevirus mot et regionalt helseforetak",
        "digital_security",
        "intentional",
        None,
        {"life_health": 3, "stability": 4, "material": 4},
        "medium",
        (4, 4, 3),
    ),
    (
        "Langvarig bortfall av Norsk helsenett",
        "digital_security",
        "unintentional",
        2,
        {"life_health": 3, "stability": 4},
        "medium",
        None,
    ),
    (
        "Alvorlig feil i felles journalsystem",
        "digital_security",
        "unintentional",
        3,
        {"life_health": 3, "stability": 3, "material": 3},
        "low",
        None,
    ),
    (
        "Innbrudd og lekkasje av helseopplysninger",
        "digital_security",
        "intentional",
        None,
        {"stability": 3, "material": 2},
        "medium",
        (3, 3, 2),
    ),
    (
        "Kollaps i markedet for smittevernutstyr",
        "supply_security",
        "unintentional",
        3,
        {"life_health": 4, "stability": 4, "material": 3},
        "medium",
        None,
    ),
    (
        "Langvarig mangel på kritiske legemidler (antibiotika)",
        "supply_security",
        "unintentional",
        4,
        {"life_health": 4, "stability": 3},
        "low",
        None,
    ),
    (
        "Stans i import av medisinsk forbruksmateriell",
        "supply_security",
        "unintentional",
        3,
        {"life_health": 3, "stability": 3, "material": 3},
        "medium",
        None,
    ),
    (
        "Svikt i blodforsyningen ved masseskade",
        "supply_security",
        "unintentional",
        2,
        {"life_health": 4},
        "medium",
        None,
    ),
    (
        "Pandemisk influensa",
        "infection",
        "unintentional",
        3,
        {"life_health": 5, "stability": 5, "material": 5},
        "medium",
        None,
    ),
    (
        "Ny koronavirusvariant med høy sykdomsbyrde",
        "infection",
        "unintentional",
        2,
        {"life_health": 4, "stability": 4, "material": 4},
        "high",
        None,
    ),
    (
        "Utbrudd av antibiotikaresistente bakterier på sykehus",
        "infection",
        "unintentional",
        4,
        {"life_health": 3, "stability": 2},
        "low",
        None,
    ),
    (
        "Stort matbårent utbrudd",
        "infection",
        "unintentional",
        4,
        {"life_health": 2, "stability": 2, "material": 2},
        "low",
        None,
    ),
    (
        "Importtilfelle av alvorlig smittsom sykdom (ebola)",
        "infection",
        "unintentional",
        2,
        {"life_health": 2, "stability": 3},
        "medium",
        None,
    ),
    (
        "Askøy-type forurensning av drikkevann",
        "water",
        "unintentional",
        4,
        {"life_health": 3, "stability": 3, "material": 2},
        "low",
        None,
    ),
    (
        "Langvarig bortfall av vannforsyningen i en by",
        "water",
        "unintentional",
        3,
        {"life_health": 3, "stability": 4, "material": 3},
        "medium",
        None,
    ),
    (
        "Dataangrep mot styringssystemene i et vannverk",
        "water",
        "intentional",
        None,
        {"life_health": 3, "stability": 4},
        "high",
        (3, 3, 3),
    ),
    (
        "Tørke og vannmangel i flere kommuner",
        "water",
        "unintentional",
        3,
        {"stability": 3, "nature": 3},
        "medium",
        None,
    ),
    (
        "Atomulykke på reaktordrevet fartøy langs kysten",
        "nuclear",
        "unintentional",
        2,
        {"life_health": 3, "stability": 4, "nature": 4},
        "high",
        None,
    ),
    (
        "Utslipp fra kjernekraftverk i et naboland",
        "nuclear",
        "unintentional",
        1,
        {"life_health": 3, "stability": 5, "nature": 5, "material": 5},
        "high",
        None,
    ),
    (
        "Radioaktiv kilde på avveie",
        "nuclear",
        "unintentional",
        3,
        {"life_health": 2, "stability": 2},
        "medium",
        None,
    ),
    (
        "Bruk av atomvåpen på eller nær norsk territorium",
        "nuclear",
        "intentional",
        None,
        {"life_health": 5, "stability": 5, "nature": 5, "material": 5},
        "high",
        (4, 2, 3),
    ),
    (
        "Ekstremvær isolerer sykehus og kommuner",
        "climate",
        "unintentional",
        4,
        {"life_health": 3, "stability": 3, "material": 3},
        "medium",
        None,
    ),
    (
        "Langvarig hetebølge",
        "climate",
        "unintentional",
        3,
        {"life_health": 3, "stability": 2},
        "medium",
        None,
    ),
]


def _sector(by: User) -> RosAnalysis:
    existing = RosAnalysis.objects.filter(title=SECTOR_TITLE).first()
    if existing:
        return existing
    today = timezone.localdate()
    hod = Organisation.objects.get(short_name="HOD")
    analysis = services.create_analysis(
        by=by,
        owner_org=hod,
        title=SECTOR_TITLE,
        scope=AnalysisScope.SECTOR,
        method="ns5814",
        summary=(
            "Sektorens helhetlige risiko- og sårbarhetsanalyse der de seks prioriterte "
            "risikoområdene ses i sammenheng (Meld. St. 5 (2023–2024) 2.2.1)."
        ),
        period_start=today - timedelta(days=365 * 3 + 200),
        period_end=today + timedelta(days=300),
        classification=Classification.BEGRENSET,
        exempt_public=True,
        exempt_legal_basis="offl. § 13 jf. sikkerhetsloven § 5-3",
        acceptance_note="Rødt: ikke akseptabelt, tiltak skal vurderes av rådet. Gult: ALARP.",
    )
    analysis.shared_with_bodies.set(
        Body.objects.filter(slug__in=["helseberedskapsradet", "helseberedskapssekretariatet"])
    )
    dmp = Organisation.objects.get(short_name="DMP")
    for title, area, nature, probability, consequences, uncertainty, vtv in EVENTS:
        extra: dict[str, Any] = {}
        if vtv:
            extra = dict(
                zip(("value_class", "threat_level", "vulnerability_level"), vtv, strict=True)
            )
        event = services.add_event(
            by=by,
            analysis=analysis,
            title=title,
            risk_area=area,
            nature=nature,
            probability=probability,
            consequences=consequences,
            uncertainty=uncertainty,
            **extra,
        )
        if area == "supply_security":
            services.add_measure(
                by=by,
                event=event,
                title="Beredskapslager for seks måneders forbruk",
                owner=dmp,
                due_date=today + timedelta(days=200),
                status="in_progress",
                effect="consequence",
            )
    services.set_status(
        by=by,
        analysis=analysis,
        status=AnalysisStatus.APPROVED,
        expected_version=analysis.version,
        approved_on=today - timedelta(days=365 * 3 + 200),
        approved_by="Helseberedskapsrådet",
    )
    return analysis


def _municipal(admin: User) -> int:
    """Overall ROS for Nordland's municipalities: about 3 in 5 current, 1 in 5 overdue, 1 in 5
    missing."""
    today = timezone.localdate()
    created = 0
    for municipality in Municipality.objects.filter(county__name="Nordland").order_by("number"):
        org = Organisation.objects.filter(municipality=municipality).first()
        if org is None or RosAnalysis.objects.filter(municipality=municipality).exists():
            continue
        bucket = int(municipality.number) % 5
        if bucket == 0 and municipality.number != "1804":
            continue
        approved = today - timedelta(days=365 * 5 if bucket == 1 else 300 + 90 * bucket)
        analysis = RosAnalysis.objects.create(
            owner_org=org,
            title=f"Helhetlig ROS for {municipality.name} kommune",
            scope=AnalysisScope.MUNICIPALITY,
            municipality=municipality,
            period_start=approved,
            period_end=approved + timedelta(days=365 * 4),
            status=AnalysisStatus.APPROVED,
            approved_on=approved,
            approved_by="Kommunestyret",
        )
        event = UndesiredEvent.objects.create(
            analysis=analysis,
            number=1,
            title="Langvarig strømbrudd",
            risk_area="climate",
            probability=4,
        )
        ConsequenceAssessment.objects.create(event=event, kind="life_health", level=3)
        event = UndesiredEvent.objects.create(
            analysis=analysis,
            number=2,
            title="Forurenset drikkevann",
            risk_area="water",
            probability=3,
        )
        ConsequenceAssessment.objects.create(event=event, kind="life_health", level=4)
        created += 1
    return created


@transaction.atomic
def load_demo() -> str:
    by = User.objects.get(username="sekretariat")
    admin = User.objects.get(username="admin")
    with acting_as(by):
        sector = _sector(by)
    with acting_as(admin):
        municipal = _municipal(admin)
    return f"sector ROS with {sector.events.count()} events; {municipal} municipal ROS created"
