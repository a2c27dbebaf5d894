"""The published FHIR R4 Measure behind every bed-capacity MeasureReport we send.

A SANER MeasureReport names its measure by canonical URL; a receiver resolves that URL to learn
what each group and population counts (HL7 SANER IG, "Measure" and "MeasureReport" profiles).
So the measure is served at the URL the reports carry, describing the SANER groups we fill and
one group per bed category of the common definitions (STANDARDS.md 3.3)."""

from __future__ import annotations

from typing import Any

from beredskap.capacity.interop import fhir
from beredskap.capacity.interop.common import BEDS_LIST_URI
from beredskap.capacity.models import BedCategory
from beredskap.capacity.models.beds import BED_DEFINITIONS

SCORING_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-scoring"

OUR_MEANINGS = {
    "staffed": "Bemannede senger i kategorien",
    "occupied": "Belagte senger i kategorien",
    "available": "Ledige bemannede senger i kategorien",
    "surge_24h": "Ekstra senger som kan bemannes innen 24 timer",
    "surge_72h": "Ekstra senger som kan bemannes innen 72 timer",
}
SANER_MEANINGS = {
    "numBeds": "Bemannede senger (inkl. beredskap innen 24 t), unntatt akuttmottak",
    "numBedsOcc": "Belagte senger, unntatt akuttmottak",
    "numICUBeds": "Bemannede intensivsenger",
    "numICUBedsOcc": "Belagte intensivsenger",
    "numVent": "Respiratorer i alt",
    "numVentUse": "Respiratorer i bruk",
}


def _population(system: str, code: str, meaning: str) -> dict[str, Any]:
    typed = fhir._population(system, code, 0)["code"]
    return {
        "code": typed,
        "description": meaning,
        "criteria": {"language": "text/plain", "expression": meaning},
    }


def _saner_group(code: str, values: tuple[str, ...]) -> dict[str, Any]:
    return {
        "code": {"coding": [{"system": fhir.GROUP_SYSTEM, "code": code}]},
        "population": [_population(fhir.VALUE_SYSTEM, v, SANER_MEANINGS[v]) for v in values],
    }


def _category_group(category: str, label: str) -> dict[str, Any]:
    definition = BED_DEFINITIONS.get(category)
    return {
        "code": {"coding": [{"system": BEDS_LIST_URI, "code": category, "display": label}]},
        "description": str(definition.definition) if definition else label,
        "population": [
            _population(fhir.OUR_POPULATION_SYSTEM, name, meaning)
            for name, meaning in OUR_MEANINGS.items()
        ],
    }


def measure_resource() -> dict[str, Any]:
    """The Measure resource, as served at ``fhir.measure_url()``."""
    ecmo = {
        "code": {"coding": [{"system": BEDS_LIST_URI, "code": fhir.ECMO_CODE}]},
        "description": "ECMO-kapasitet",
        "population": [
            _population(fhir.OUR_POPULATION_SYSTEM, "staffed", "ECMO-plasser i alt"),
            _population(fhir.OUR_POPULATION_SYSTEM, "occupied", "ECMO-plasser i bruk"),
        ],
    }
    return {
        "resourceType": "Measure",
        "id": fhir.MEASURE_ID,
        "url": fhir.measure_url(),
        "version": "1",
        "name": "BedCapacity",
        "title": "Sengekapasitet og intensivkapasitet",
        "status": "active",
        "publisher": "Beredskap",
        "description": (
            "Bemannede, belagte og ledige senger per kategori etter felles definisjoner, "
            "med SANER-gruppene Beds og Ventilators."
        ),
        "scoring": {"coding": [{"system": SCORING_SYSTEM, "code": "cohort"}]},
        "group": [
            _saner_group("Beds", ("numBeds", "numBedsOcc", "numICUBeds", "numICUBedsOcc")),
            _saner_group("Ventilators", ("numVent", "numVentUse")),
            ecmo,
            *(_category_group(value, str(label)) for value, label in BedCategory.choices),
        ],
    }
