"""Who is responsible for a commitment and by when, as the source text says (no Django imports).

Meld. St. 5 (2023–2024) states its commitments as «Regjeringen vil …»: the responsible ministry
is the Ministry of Health and Care Services (HOD), which puts the white paper forward, unless the
commitment names who leads or holds it. The Directorate of Health's list of measures gives most
measures to the Directorate itself, and several to others (HOD, DSB, HelseCERT, the
municipalities, every undertaking under the Security Act); the text is kept as written beside the
organisation, which is empty where the text names no single organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from beredskap.commitments.seeds import Found
from beredskap.core.timeutil import MONTHS_NB

MONTH_NAMES = MONTHS_NB
MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}


@dataclass(frozen=True)
class Responsible:
    short_name: str | None
    text: str


GOVERNMENT = Responsible("HOD", "Regjeringen (Helse- og omsorgsdepartementet)")
WHITE_PAPER_NAMED = [
    (
        "ledet av Helse- og omsorgsdepartementet",
        Responsible("HOD", "Helse- og omsorgsdepartementet"),
    ),
    (
        "i Direktoratet for medisinske produkter",
        Responsible("DMP", "Direktoratet for medisinske produkter"),
    ),
]
DIRECTORATE = Responsible("Hdir", "Helsedirektoratet")
DIRECTORATE_NAMED = [
    ("foreslår at HOD", Responsible("HOD", "Helse- og omsorgsdepartementet")),
    ("fra Helse- og omsorgsdepartementet", Responsible("HOD", "Helse- og omsorgsdepartementet")),
    ("foreslår at DSB", Responsible("DSB", "DSB")),
    ("hos HelseCERT", Responsible("NHN", "HelseCERT (Norsk helsenett)")),
    ("Helsetilsynet og DSB utfører", Responsible("Helsetilsynet", "Helsetilsynet og DSB")),
    (
        "Kommuner, vannverk og større virksomheter",
        Responsible(None, "Kommuner, vannverk og større virksomheter"),
    ),
    ("Kommuner og helseforetak bør", Responsible(None, "Kommuner og helseforetak")),
    (
        "anbefaler alle helse- og omsorgstjenester",
        Responsible(None, "Alle helse- og omsorgstjenester"),
    ),
]
SECURITY_ACT_LEAD_IN = "gjennomført av alle virksomheter"
SECURITY_ACT = Responsible(None, "Alle virksomheter i sektoren underlagt sikkerhetsloven")


def responsible_for(found: Found) -> Responsible:
    """The organisation the text gives the commitment to (see the module docstring)."""
    if found.source == "directorate":
        if SECURITY_ACT_LEAD_IN in found.lead_in:
            return SECURITY_ACT
        named = DIRECTORATE_NAMED
        default = DIRECTORATE
    else:
        named, default = WHITE_PAPER_NAMED, GOVERNMENT
    return next((who for needle, who in named if needle in found.text), default)


# Dates in the text: «fra 1. januar 2024», «innen utgangen av 2024», «i løpet av 2024»,
# «våren 2025», «høsten 2025», «i 2024» — the last day of the period (or the day named).
DAY = re.compile(r"\bfra (\d{1,2})\. (" + "|".join(MONTHS) + r") (\d{4})")
PERIOD = re.compile(r"\b(innen utgangen av|i løpet av|våren|høsten|i) (20\d\d)\b")
PERIOD_END = {"våren": "06-30"}


def due_from_text(text: str) -> tuple[str, str] | None:
    """(ISO date, note quoting the text) for the first date the commitment gives, else None."""
    day = DAY.search(text)
    if day:
        iso = f"{day.group(3)}-{MONTHS[day.group(2)]:02d}-{int(day.group(1)):02d}"
        return iso, f"Teksten sier «{day.group(0)}»."
    period = PERIOD.search(text)
    if period:
        iso = f"{period.group(2)}-{PERIOD_END.get(period.group(1), '12-31')}"
        return iso, f"Teksten sier «{period.group(0)}»."
    return None
