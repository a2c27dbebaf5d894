"""Seed the dimensioning scenarios of the nuclear preparedness (Meld. St. 5 (2023–2024) 4.6):
six scenarios as placeholders to be filled in by the committee (Kriseutvalget for
atomberedskap, led by DSA), and a seventh under assessment — use of nuclear weapons on or near
Norwegian territory. Idempotent: keyed by `seed_key`, existing content is never overwritten."""

from __future__ import annotations

from django.db import transaction

from beredskap.actors.models import Body, Organisation
from beredskap.core.audit import acting_as
from beredskap.core.riskareas import RiskArea
from beredskap.planning.models import Scenario, ScenarioStatus

PLACEHOLDER_TEXT = (
    "Plassholder for et av atomberedskapens seks dimensjonerende scenarioer (Meld. St. 5 "
    "(2023–2024) punkt 4.6). Hendelsesforløp, forutsetninger og krav til helsetjenesten fylles ut "
    "av Kriseutvalget for atomberedskap."
)
SEVENTH_TEXT = (
    "Med bakgrunn i den endrede sikkerhetspolitiske situasjonen vurderes et sjuende scenario: "
    "bruk av atomvåpen på eller i nærheten av norsk territorium. Tiltak for å møte scenarioet "
    "skal vurderes (Meld. St. 5 (2023–2024) punkt 4.6)."
)


def nuclear_seeds() -> list[dict[str, str]]:
    seeds = [
        {
            "seed_key": f"nuclear-{n}",
            "title": f"Dimensjonerende atomscenario {n} (til utfylling)",
            "status": ScenarioStatus.PLACEHOLDER,
            "narrative": PLACEHOLDER_TEXT,
        }
        for n in range(1, 7)
    ]
    seeds.append(
        {
            "seed_key": "nuclear-7",
            "title": "Bruk av atomvåpen på eller nær norsk territorium",
            "status": ScenarioStatus.UNDER_ASSESSMENT,
            "narrative": SEVENTH_TEXT,
        }
    )
    return seeds


@transaction.atomic
def load_nuclear_scenarios() -> int:
    """Create the missing seeded scenarios; returns how many were created."""
    dsa = Organisation.objects.filter(short_name="DSA").first()
    if dsa is None:
        return 0
    committee = Body.objects.filter(slug="kriseutvalget-atom").first()
    created = 0
    with acting_as(None):
        for seed in nuclear_seeds():
            if Scenario.objects.filter(seed_key=seed["seed_key"]).exists():
                continue
            scenario = Scenario.objects.create(owner_org=dsa, risk_area=RiskArea.NUCLEAR, **seed)
            if committee:
                scenario.shared_with_bodies.add(committee)
            created += 1
    return created
