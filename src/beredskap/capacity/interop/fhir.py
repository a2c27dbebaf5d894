"""HL7 FHIR R4 MeasureReport in the SANER style (STANDARDS.md 3.3): export bed reports and
import them. Every message is checked against the official FHIR R4 JSON schema
(schemas/fhir.schema.json.gz) and against the PublicHealthMeasureReport profile rules coded
below: status and type, a known measure canonical URL, subject Location or Organization,
a period, and group/population codes from the SANER code systems or our own.

A code may carry several codings (SANER types each population as numerator, denominator or
initial population *and* names the measured value): codings are read by their system, never by
their position. The measure is a canonical URL under the installation's base URL that resolves
to a published Measure resource (`measure_resource`), so a receiver can look up what each group
and population means."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from beredskap.capacity.interop.common import (
    BEDS_LIST_URI,
    MessageInvalid,
    check_size,
    facility_report_dict,
    find_facility,
)
from beredskap.capacity.models import BedCategory, BedReport, Facility

SCHEMA_PATH = Path(__file__).parent / "schemas" / "fhir.schema.json.gz"
PROFILE = "http://hl7.org/fhir/uv/saner/StructureDefinition/PublicHealthMeasureReport"
MEASURE_ID = "BedCapacity"
MEASURE_PATH = f"/fhir/Measure/{MEASURE_ID}"
LEGACY_MEASURE = "urn:no:beredskap:fhir:Measure/BedCapacity"
SANER_MEASURE = "http://hl7.org/fhir/uv/saner/Measure/CDCPatientImpactAndHospitalCapacity"
POPULATION_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-population"
GROUP_SYSTEM = "http://hl7.org/fhir/uv/saner/CodeSystem/MeasureGroupSystem"
VALUE_SYSTEM = "http://hl7.org/fhir/uv/saner/CodeSystem/MeasuredValues"
OUR_POPULATION_SYSTEM = "urn:no:beredskap:fhir:CodeSystem/bed-count"
OUR_POPULATIONS = ("staffed", "occupied", "available", "surge_24h", "surge_72h")
SANER_GROUPS = {
    "Beds": {"numTotBeds", "numTotBedsOcc", "numBeds", "numBedsOcc", "numICUBeds", "numICUBedsOcc"},
    "Ventilators": {"numVent", "numVentUse"},
}
ECMO_CODE = "ecmo"
# SANER's population types: a count of capacity is the denominator, its use the numerator.
SANER_POPULATION_TYPES = {
    "numTotBeds": "denominator",
    "numBeds": "denominator",
    "numICUBeds": "denominator",
    "numVent": "denominator",
    "numTotBedsOcc": "numerator",
    "numBedsOcc": "numerator",
    "numICUBedsOcc": "numerator",
    "numVentUse": "numerator",
}
OUR_POPULATION_TYPES = {
    "staffed": "denominator",
    "occupied": "numerator",
    "available": "initial-population",
    "surge_24h": "initial-population",
    "surge_72h": "initial-population",
}


def measure_url() -> str:
    """The measure's canonical URL: resolvable under this installation's base URL."""
    from django.conf import settings

    return f"{settings.BEREDSKAP_BASE_URL}{MEASURE_PATH}"


def known_measures() -> set[str]:
    return {measure_url(), LEGACY_MEASURE, SANER_MEASURE}


@cache
def _validator() -> jsonschema.Draft6Validator:
    with gzip.open(SCHEMA_PATH, "rt", encoding="utf-8") as handle:
        full = json.load(handle)
    return jsonschema.Draft6Validator(
        {"$ref": "#/definitions/MeasureReport", "definitions": full["definitions"]}
    )


def _coding(system: str, code: str) -> dict:
    return {"coding": [{"system": system, "code": code}]}


def _population(system: str, code: str, count: int) -> dict:
    """A population typed for SANER: its type first, then the measured value it counts."""
    types = OUR_POPULATION_TYPES if system == OUR_POPULATION_SYSTEM else SANER_POPULATION_TYPES
    return {
        "code": {
            "coding": [
                {"system": POPULATION_TYPE_SYSTEM, "code": types.get(code, "initial-population")},
                {"system": system, "code": code},
            ]
        },
        "count": count,
    }


def _saner_groups(report: BedReport, counts: list[Any]) -> list[dict[str, Any]]:
    icu = [c for c in counts if c.category in ("icu_vent", "icu_novent", "picu")]
    beds = [c for c in counts if c.category != "ed"]
    return [
        {
            "code": _coding(GROUP_SYSTEM, "Beds"),
            "population": [
                _population(VALUE_SYSTEM, "numBeds", sum(c.staffed + c.surge_24h for c in beds)),
                _population(VALUE_SYSTEM, "numBedsOcc", sum(c.occupied for c in beds)),
                _population(VALUE_SYSTEM, "numICUBeds", sum(c.staffed for c in icu)),
                _population(VALUE_SYSTEM, "numICUBedsOcc", sum(c.occupied for c in icu)),
            ],
        },
        {
            "code": _coding(GROUP_SYSTEM, "Ventilators"),
            "population": [
                _population(VALUE_SYSTEM, "numVent", report.ventilators_total),
                _population(VALUE_SYSTEM, "numVentUse", report.ventilators_in_use),
            ],
        },
        {
            "code": _coding(BEDS_LIST_URI, ECMO_CODE),
            "population": [
                _population(OUR_POPULATION_SYSTEM, "staffed", report.ecmo_total),
                _population(OUR_POPULATION_SYSTEM, "occupied", report.ecmo_in_use),
            ],
        },
    ]


def export_report(report: BedReport) -> dict:
    """One MeasureReport for one facility report (summary, period = the reporting day)."""
    counts = list(report.counts.all())
    local = timezone.localtime(report.reported_at)
    facility = report.facility
    resource: dict[str, Any] = {
        "resourceType": "MeasureReport",
        "id": f"bedreport-{report.pk}",
        "meta": {"profile": [PROFILE]},
        "status": "complete",
        "type": "summary",
        "measure": measure_url(),
        "subject": {"reference": f"Location/{facility.code}", "display": facility.name},
        "date": local.isoformat(timespec="seconds"),
        "reporter": {
            "reference": (
                f"Organization/{facility.organisation.org_number or facility.organisation_id}"
            ),
            "display": facility.organisation.name,
        },
        "period": {
            "start": local.isoformat(timespec="seconds"),
            "end": local.isoformat(timespec="seconds"),
        },
        "improvementNotation": _coding(
            "http://terminology.hl7.org/CodeSystem/measure-improvement-notation", "increase"
        ),
        "group": _saner_groups(report, counts)
        + [
            {
                "code": _coding(BEDS_LIST_URI, c.category),
                "population": [
                    _population(OUR_POPULATION_SYSTEM, name, getattr(c, name))
                    for name in OUR_POPULATIONS
                ],
            }
            for c in counts
        ],
    }
    if report.surge_active:
        resource["extension"] = [
            {"url": "urn:no:beredskap:fhir:StructureDefinition/surge-active", "valueBoolean": True}
        ]
    validate(resource)
    return resource


def export_bundle(reports: list[BedReport]) -> dict:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": export_report(r)} for r in reports],
    }


def _schema_problems(resource: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(rot)'}: {error.message[:200]}"
        for error in sorted(
            _validator().iter_errors(resource), key=lambda e: list(e.absolute_path)
        )[:20]
    ]


def _profile_problems(resource: dict) -> list[str]:
    if resource.get("resourceType") != "MeasureReport":
        return [_("Ressursen må være en MeasureReport.")]
    shapes = {"subject": dict, "period": dict, "group": list}
    wrong = [
        name
        for name, kind in shapes.items()
        if name in resource and not isinstance(resource[name], kind)
    ]
    if wrong:
        return [_("Feil form på feltet %(f)s.") % {"f": name} for name in wrong]
    problems = []
    if resource.get("status") != "complete":
        problems.append(_("status må være «complete»."))
    if resource.get("type") != "summary":
        problems.append(_("type må være «summary»."))
    if resource.get("measure") not in known_measures():
        problems.append(_("Ukjent measure: %(m)s") % {"m": resource.get("measure")})
    reference = (resource.get("subject") or {}).get("reference", "")
    if not isinstance(reference, str) or not reference.startswith(("Location/", "Organization/")):
        problems.append(_("subject må referere til Location eller Organization."))
    period = resource.get("period") or {}
    start, end = _moment(period.get("start")), _moment(period.get("end"))
    if start is None or end is None:
        problems.append(_("period må ha start og slutt med tidspunkt."))
    elif end < start:
        problems.append(_("period slutter før den starter."))
    if not resource.get("group") or not all(isinstance(g, dict) for g in resource["group"]):
        problems.append(_("MeasureReport må ha minst én group."))
    return problems


def _moment(value: Any) -> Any:
    if not isinstance(value, str):
        return None
    moment = parse_datetime(value)
    if moment is None and parse_date(value) is not None:
        return None
    return moment


def validate(resource: Any) -> None:
    if not isinstance(resource, dict):
        raise MessageInvalid([_("Ressursen må være et JSON-objekt (MeasureReport eller Bundle).")])
    problems = _schema_problems(resource)
    if not problems and isinstance(resource, dict):
        problems = _profile_problems(resource)
    if problems:
        raise MessageInvalid(problems)


GROUP_SYSTEMS = (GROUP_SYSTEM, BEDS_LIST_URI)
POPULATION_SYSTEMS = (VALUE_SYSTEM, OUR_POPULATION_SYSTEM)


def _code_of(concept: Any, systems: tuple[str, ...]) -> tuple[str, str]:
    """The first coding from one of ``systems``, wherever it stands among the codings; else the
    first coding that is not a population type (so an unknown code is named in the error)."""
    codings = [c for c in (concept or {}).get("coding") or [] if isinstance(c, dict)]
    for coding in codings:
        if coding.get("system") in systems:
            return coding.get("system", ""), coding.get("code", "")
    for coding in codings:
        if coding.get("system") != POPULATION_TYPE_SYSTEM:
            return coding.get("system", ""), coding.get("code", "")
    return "", ""


def _subject_facility(resource: dict) -> Facility:
    kind, _slash, ident = resource["subject"]["reference"].partition("/")
    if kind == "Location":
        return find_facility(ident)
    matches = list(Facility.objects.filter(active=True, organisation__org_number=ident)[:2])
    if len(matches) != 1:
        raise MessageInvalid(
            [_("Organization/%(i)s peker ikke på nøyaktig én enhet; bruk Location.") % {"i": ident}]
        )
    return matches[0]


def _groups(resource: dict, problems: list[str]) -> tuple[list[dict], dict[str, dict[str, int]]]:
    counts, saner = [], {}
    for group in resource["group"]:
        system, code = _code_of(group.get("code"), GROUP_SYSTEMS)
        values = {}
        for population in group.get("population") or []:
            p_system, p_code = _code_of(population.get("code"), POPULATION_SYSTEMS)
            count = population.get("count")
            if not isinstance(count, int) or count < 0:
                problems.append(
                    _("%(g)s/%(p)s: count må være et heltall, 0 eller mer.")
                    % {"g": code, "p": p_code}
                )
                continue
            values[p_code] = count
            known = (
                OUR_POPULATIONS if p_system == OUR_POPULATION_SYSTEM else SANER_GROUPS.get(code, ())
            )
            if p_code not in known:
                problems.append(
                    _("Ukjent populasjonskode %(p)s i gruppe %(g)s.") % {"p": p_code, "g": code}
                )
        if system == GROUP_SYSTEM and code in SANER_GROUPS:
            saner[code] = values
        elif system == BEDS_LIST_URI and code == ECMO_CODE:
            saner["ecmo"] = values
        elif system == BEDS_LIST_URI and code in BedCategory.values:
            counts.append({"category": code, **{k: values.get(k, 0) for k in OUR_POPULATIONS}})
        else:
            problems.append(_("Ukjent gruppekode %(s)s#%(c)s.") % {"s": system, "c": code})
    return counts, saner


def _counts_from_saner(beds: dict[str, int]) -> list[dict]:
    """Only SANER's Beds group: ICU beds as ventilator ICU, the rest as ward beds."""
    icu, icu_occ = beds.get("numICUBeds", 0), beds.get("numICUBedsOcc", 0)
    total, occ = beds.get("numBeds", 0), beds.get("numBedsOcc", 0)
    rows = [
        {
            "category": "icu_vent",
            "staffed": icu,
            "occupied": icu_occ,
            "available": max(icu - icu_occ, 0),
        }
    ]
    if total - icu > 0:
        rows.append(
            {
                "category": "ward",
                "staffed": total - icu,
                "occupied": max(occ - icu_occ, 0),
                "available": max(total - icu - max(occ - icu_occ, 0), 0),
            }
        )
    return rows


def _report_dict(resource: dict) -> dict:
    problems: list[str] = []
    facility = _subject_facility(resource)
    counts, saner = _groups(resource, problems)
    if problems:
        raise MessageInvalid(problems)
    if not counts:
        counts = _counts_from_saner(saner.get("Beds", {}))
    vent, ecmo = saner.get("Ventilators", {}), saner.get("ecmo", {})
    surge = any(
        e.get("url", "").endswith("/surge-active") and e.get("valueBoolean")
        for e in resource.get("extension") or []
    )
    return facility_report_dict(
        facility,
        _moment(resource["period"]["end"]),
        counts,
        surge_active=surge,
        ventilators_total=vent.get("numVent", 0),
        ventilators_in_use=vent.get("numVentUse", 0),
        ecmo_total=ecmo.get("staffed", 0),
        ecmo_in_use=ecmo.get("occupied", 0),
    )


def parse(data: bytes) -> list[dict]:
    """A MeasureReport or a Bundle of them → report dicts (facilities resolved), or every
    problem."""
    check_size(data)
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MessageInvalid([_("Ikke gyldig JSON: %(e)s") % {"e": exc}]) from exc
    except RecursionError as exc:  # JSON nested thousands of levels deep
        raise MessageInvalid([_("Ikke gyldig JSON: for dypt nøstet.")]) from exc
    if isinstance(document, dict) and document.get("resourceType") == "Bundle":
        resources: list[Any] = [
            (entry or {}).get("resource") for entry in document.get("entry") or []
        ]
    else:
        resources = [document]
    reports: list[dict[str, Any]] = []
    problems: list[str] = []
    for index, resource in enumerate(resources, start=1):
        try:
            validate(resource)
            reports.append(_report_dict(resource))
        except MessageInvalid as exc:
            problems.extend(f"#{index}: {p}" for p in exc.problems)
        except RecursionError:
            problems.append(f"#{index}: " + _("for dypt nøstet."))
    if problems or not reports:
        raise MessageInvalid(problems or [_("Ingen MeasureReport i filen.")])
    return reports
