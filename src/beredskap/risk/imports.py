"""Import undesired events and measures into an analysis from the offered templates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from beredskap.actors.queries import find_org
from beredskap.core.riskareas import RiskArea
from beredskap.core.tabular import ImportResult, parse_choice, parse_date, run_import
from beredskap.risk import services
from beredskap.risk.classes import PROBABILITY_LETTERS, ConsequenceType, Uncertainty
from beredskap.risk.models import EventNature, MeasureEffect, MeasureStatus, RosAnalysis

EVENT_HEADER = [
    "tittel",
    "risikoomrade",
    "type",
    "sannsynlighet",
    "liv_og_helse",
    "stabilitet",
    "natur_og_miljo",
    "materielle_verdier",
    "usikkerhet",
    "beskrivelse",
    "arsaker",
    "barrierer",
]
EVENT_EXAMPLE = [
    "Forurenset drikkevann (Askøy-type)",
    "Trygg vannforsyning",
    "Utilsiktet hendelse",
    "C",
    "4",
    "3",
    "",
    "2",
    "Middels usikkerhet",
    "Bakteriell forurensning i høydebasseng",
    "Sprekk i basseng, dyr",
    "Vannprøver, UV-anlegg",
]
MEASURE_HEADER = ["hendelse_nr", "tiltak", "ansvarlig", "frist", "status", "effekt", "beskrivelse"]
MEASURE_EXAMPLE = [
    "1",
    "Reservevannkilde",
    "Bodø kommune",
    "2026-12-31",
    "Foreslått",
    "Reduserer konsekvens",
    "Halverer antall uten vann",
]
CONSEQUENCE_COLUMNS = {
    "liv_og_helse": "life_health",
    "stabilitet": "stability",
    "natur_og_miljo": "nature",
    "materielle_verdier": "material",
}
LETTER_TO_CLASS = {v: k for k, v in PROBABILITY_LETTERS.items()}


def _class(value: str, label: str, letters: bool = False) -> int | None:
    if not value:
        return None
    if letters and value.upper() in LETTER_TO_CLASS:
        return LETTER_TO_CLASS[value.upper()]
    if value.isdigit() and 1 <= int(value) <= 5:
        return int(value)
    raise ValidationError(
        _("%(f)s: «%(v)s» er ikke en klasse fra 1 til 5%(l)s.")
        % {"f": label, "v": value, "l": " eller A–E" if letters else ""}
    )


def _event_row(by: Any, analysis: RosAnalysis, row: dict[str, str]) -> Any:
    if not row.get("tittel"):
        raise ValidationError(_("Tittel mangler."))
    consequences = {
        kind: _class(row.get(column, ""), column) for column, kind in CONSEQUENCE_COLUMNS.items()
    }
    return services.add_event(
        by=by,
        analysis=analysis,
        title=row["tittel"][:200],
        risk_area=parse_choice(
            row.get("risikoomrade", ""),
            RiskArea.choices,
            _("Risikoområde"),
            analysis.risk_area or RiskArea.GENERAL,
        ),
        nature=parse_choice(
            row.get("type", ""), EventNature.choices, _("Type"), EventNature.UNINTENTIONAL
        ),
        probability=_class(row.get("sannsynlighet", ""), _("Sannsynlighet"), letters=True),
        uncertainty=parse_choice(
            row.get("usikkerhet", ""),
            Uncertainty.choices,
            _("Usikkerhet"),
            Uncertainty.MEDIUM,
        ),
        description=row.get("beskrivelse", ""),
        causes=row.get("arsaker", ""),
        existing_barriers=row.get("barrierer", ""),
        consequences={k: v for k, v in consequences.items() if v is not None}
        or {ConsequenceType.LIFE_HEALTH: None},
    )


def _measure_row(by: Any, analysis: RosAnalysis, row: dict[str, str]) -> Any:
    number = row.get("hendelse_nr", "").strip()
    digits = number[1:] if number[:1].upper() == "H" else number  # «H3» as exported, or «3»
    event = analysis.events.filter(number=int(digits)).first() if digits.isdigit() else None
    if event is None:
        raise ValidationError(_("Hendelse nr. «%(n)s» finnes ikke i analysen.") % {"n": number})
    if not row.get("tiltak"):
        raise ValidationError(_("Tiltak mangler."))
    return services.add_measure(
        by=by,
        event=event,
        title=row["tiltak"][:300],
        owner=find_org(row.get("ansvarlig", ""), _("Ansvarlig")),
        due_date=parse_date(row.get("frist", ""), _("Frist")),
        status=parse_choice(
            row.get("status", ""), MeasureStatus.choices, _("Status"), MeasureStatus.PROPOSED
        ),
        effect=parse_choice(
            row.get("effekt", ""), MeasureEffect.choices, _("Effekt"), MeasureEffect.BOTH
        ),
        effect_description=row.get("beskrivelse", ""),
    )


# The exported workbook's column headings (exports.py), so an analysis exported, edited offline
# and imported again needs no new template.
EXPORT_HEADINGS = {
    "hendelse": "tittel",
    "risikoområde": "risikoomrade",
    "årsaker": "arsaker",
    **{
        str(label).lower(): key
        for key, label in zip(
            CONSEQUENCE_COLUMNS,
            [ConsequenceType(v).label for v in CONSEQUENCE_COLUMNS.values()],
            strict=True,
        )
    },
}
EXPORT_MEASURE_HEADINGS = {"hendelse": "hendelse_nr"}
SHEETS = {"hendelser": "Hendelser", "tiltak": "Tiltak"}


def _keyed(rows: list[dict[str, str]], headings: dict[str, str]) -> list[dict[str, str]]:
    return [{headings.get(k, k): v for k, v in row.items()} for row in rows]


def import_events(*, by: Any, analysis: RosAnalysis, rows: list[dict[str, str]]) -> ImportResult:
    rows = _keyed(rows, EXPORT_HEADINGS)
    return run_import(rows, lambda row: _event_row(by, analysis, row))


def import_measures(*, by: Any, analysis: RosAnalysis, rows: list[dict[str, str]]) -> ImportResult:
    rows = _keyed(rows, EXPORT_MEASURE_HEADINGS)
    return run_import(rows, lambda row: _measure_row(by, analysis, row))
