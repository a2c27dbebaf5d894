"""Surveillance counts as FHIR R4 MeasureReports, and the Measure each indicator publishes.

A laboratory or GP system that already speaks FHIR reports a week's count for an area as a
summary MeasureReport (the same shape SANER uses for capacity): ``measure`` names the
indicator's published Measure, ``subject.identifier`` the area by its municipality or county
number, ``period`` one ISO week (Monday to Sunday), and the group's populations the count
(``numerator``) and, optionally, the denominator (``denominator``), coded with HL7's
measure-population code system. A Bundle of reports is stored all or nothing, like an upload.

The area number systems are Beredskap's own naming systems (no Norwegian FHIR profile for
municipality numbers is verified; STANDARDS.md 3.3).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

POPULATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-population"
SCORING_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-scoring"
MUNICIPALITY_SYSTEM = "https://beredskap.no/fhir/NamingSystem/kommunenummer"
COUNTY_SYSTEM = "https://beredskap.no/fhir/NamingSystem/fylkesnummer"
AREA_SYSTEMS = {MUNICIPALITY_SYSTEM: "municipality", COUNTY_SYSTEM: "county"}
MEASURE_PREFIX = "surveillance-"
MAX_REPORTS = 5000


class ReportInvalid(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def measure_url(key: str) -> str:
    return f"{settings.BEREDSKAP_BASE_URL}/fhir/Measure/{MEASURE_PREFIX}{key}"


def measure_resource(indicator: Any) -> dict[str, Any]:
    """The indicator's Measure: what the populations of its reports count."""
    denominator = indicator.denominator_label or _("nevner (valgfri)")
    return {
        "resourceType": "Measure",
        "id": f"{MEASURE_PREFIX}{indicator.key}",
        "url": measure_url(indicator.key),
        "name": indicator.key.replace("-", "_"),
        "title": indicator.name,
        "status": "active",
        "description": indicator.description or indicator.name,
        "scoring": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/measure-scoring",
                    "code": "cohort",
                }
            ]
        },
        "group": [
            {
                "population": [
                    _population("numerator", _("Antall i perioden (ISO-uke)")),
                    _population("denominator", str(denominator)),
                ]
            }
        ],
    }


def _population(code: str, meaning: str) -> dict[str, Any]:
    return {
        "code": {"coding": [{"system": POPULATION_SYSTEM, "code": code}]},
        "description": meaning,
        "criteria": {"language": "text/plain", "expression": meaning},
    }


def reports_of(resource: Any) -> list[Any]:
    """The MeasureReports of a resource (itself, or a Bundle's entries)."""
    if not isinstance(resource, dict):
        raise ReportInvalid([_("Ressursen må være et JSON-objekt (MeasureReport eller Bundle).")])
    if resource.get("resourceType") == "Bundle":
        entries = resource.get("entry") or []
        if not isinstance(entries, list) or not entries:
            raise ReportInvalid([_("Bundle uten entry.")])
        if len(entries) > MAX_REPORTS:
            raise ReportInvalid([_("Høyst %(n)s rapporter per Bundle.") % {"n": MAX_REPORTS}])
        return [e.get("resource") if isinstance(e, dict) else None for e in entries]
    return [resource]


def _schema_problems(report: Any) -> list[str]:
    from fhir.resources.R4B.measurereport import MeasureReport
    from pydantic import ValidationError

    try:
        MeasureReport.model_validate(report)
    except ValidationError as exc:
        return [
            f"{'.'.join(str(p) for p in e['loc']) or '(rot)'}: {e['msg'][:200]}"
            for e in exc.errors()[:10]
        ]
    except (TypeError, ValueError) as exc:
        return [str(exc)[:200]]
    return []


def _week(period: dict[str, Any]) -> tuple[dt.date | None, str]:
    start, end = period.get("start"), period.get("end")
    first = _day(start)
    last = _day(end)
    if first is None or last is None:
        return None, _("period må ha start og slutt.")
    if first.isoweekday() != 1 or last != first + dt.timedelta(days=6):
        return None, _("period må være én ISO-uke, mandag til søndag.")
    return first, ""


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    moment = parse_datetime(value)
    if moment is not None:
        return moment.date()
    try:
        return parse_date(value)
    except ValueError:
        return None


def _counts(report: dict[str, Any]) -> tuple[dict[str, int], list[str]]:
    counts: dict[str, int] = {}
    for group in report.get("group") or []:
        for population in group.get("population") or []:
            codings = (population.get("code") or {}).get("coding") or []
            code = next(
                (c.get("code") for c in codings if c.get("system") == POPULATION_SYSTEM), None
            )
            if code in ("numerator", "denominator") and isinstance(population.get("count"), int):
                counts[code] = population["count"]
    if "numerator" not in counts:
        return counts, [_("Mangler populasjonen «numerator» (antallet).")]
    return counts, []


def row_of(report: Any, number: int) -> tuple[str, dict[str, Any], list[str]]:
    """(indicator key, observation row, problems) of one MeasureReport."""
    problems = _schema_problems(report)
    if problems:
        return "", {}, [f"{number}: {p}" for p in problems]
    measure = str(report.get("measure", ""))
    key = measure.rsplit("/", 1)[-1]
    if not key.startswith(MEASURE_PREFIX) or measure != measure_url(key[len(MEASURE_PREFIX) :]):
        problems.append(_("Ukjent measure: %(m)s") % {"m": measure[:120]})
    identifier = (report.get("subject") or {}).get("identifier") or {}
    level = AREA_SYSTEMS.get(identifier.get("system", ""))
    if level is None or not identifier.get("value"):
        problems.append(_("subject.identifier må være et kommune- eller fylkesnummer."))
    week, problem = _week(report.get("period") or {})
    if problem:
        problems.append(problem)
    counts, count_problems = _counts(report)
    problems += count_problems
    if report.get("status") != "complete" or report.get("type") != "summary":
        problems.append(_("status må være «complete» og type «summary»."))
    row = {
        "area_level": level,
        "area_code": identifier.get("value"),
        "period": week.isoformat() if week else "",
        "value": counts.get("numerator"),
        "denominator": counts.get("denominator"),
    }
    return key[len(MEASURE_PREFIX) :], row, [f"{number}: {p}" for p in problems]
