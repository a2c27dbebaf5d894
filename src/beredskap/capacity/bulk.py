"""CSV/XLSX bulk import of bed reports and stock movements.

A file is written whole or not at all (a half-loaded file would be a false picture); every rejected
line is listed with its reason. The reader and the template download are `beredskap.core.tabular`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.capacity.models import BedCategory, Product, ReportSource
from beredskap.capacity.queries import beds as bed_queries
from beredskap.capacity.queries import stock as stock_queries
from beredskap.capacity.services import beds as bed_services
from beredskap.capacity.services import stock as stock_services
from beredskap.core.errors import PermissionDenied
from beredskap.core.tabular import ImportResult, _messages, parse_choice, parse_date, run_import
from beredskap.core.timeutil import localise_strict

OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class Layout:
    name: str
    header: tuple[str, ...]
    example: tuple[Any, ...]


BED_LAYOUT = Layout(
    "sengerapporter",
    (
        "enhet",
        "tidspunkt",
        "kategori",
        "bemannet",
        "belagt",
        "ledig",
        "okning_24t",
        "okning_72t",
        "forsterket_drift",
        "respiratorer_totalt",
        "respiratorer_i_bruk",
        "ecmo_totalt",
        "ecmo_i_bruk",
    ),
    ("nlsh-bodo", "2025-01-15 08:00", "icu_vent", 10, 7, 3, 2, 4, "nei", 12, 7, 1, 0),
)
STOCK_LAYOUT = Layout(
    "lagerbevegelser",
    ("type", "lagersted", "produkt", "parti", "antall", "utlopsdato", "til_lagersted", "referanse"),
    (
        "mottak",
        "NLSH sentrallager",
        "FFP2-maske",
        "L-2025-01",
        1000,
        "2027-12-31",
        "",
        "Innkjøp 2025-17",
    ),
)

MOVEMENT_KINDS = [("receipt", _("mottak")), ("issue", _("uttak")), ("transfer", _("overføring"))]
YES = {"ja", "j", "yes", "y", "1", "true", "x"}
NO = {"", "nei", "n", "no", "0", "false"}


def parse_moment(value: str, label: str) -> datetime:
    """ISO 8601 or 'YYYY-MM-DD HH:MM' (Norwegian time when no offset is given)."""
    text = (value or "").strip().replace("Z", "+00:00")
    if not text:
        raise ValidationError(_("%(f)s mangler.") % {"f": label})
    for candidate in (text, text.replace(" ", "T")):
        try:
            moment = datetime.fromisoformat(candidate)
            break
        except ValueError:
            continue
    else:
        try:
            moment = datetime.strptime(text, "%d.%m.%Y %H:%M")
        except ValueError as exc:
            raise ValidationError(
                _("%(f)s: ugyldig tidspunkt «%(v)s» (bruk ÅÅÅÅ-MM-DD TT:MM).")
                % {"f": label, "v": value}
            ) from exc
    if timezone.is_naive(moment):
        try:  # a time in the spring gap or the repeated autumn hour is refused, never guessed
            return localise_strict(moment, OSLO)
        except ValidationError as exc:
            raise ValidationError(f"{label}: {' '.join(exc.messages)}", code=exc.code) from exc
    return moment


def parse_count(value: str, label: str, default: int | None = None) -> int:
    text = (value or "").strip()
    if not text and default is not None:
        return default
    try:
        number = int(text)
    except ValueError as exc:
        raise ValidationError(
            _("%(f)s: «%(v)s» er ikke et heltall.") % {"f": label, "v": value}
        ) from exc
    if number < 0:
        raise ValidationError(_("%(f)s kan ikke være negativ.") % {"f": label})
    return number


def parse_flag(value: str, label: str) -> bool:
    text = (value or "").strip().lower()
    if text in YES or text in NO:
        return text in YES
    raise ValidationError(_("%(f)s: skriv ja eller nei, ikke «%(v)s».") % {"f": label, "v": value})


def _bed_row(row: dict[str, str], facilities: dict[str, Any]) -> tuple[tuple, dict, dict]:
    code = row.get("enhet", "").strip()
    facility = facilities.get(code.lower())
    if facility is None:
        raise ValidationError(_("enhet: ukjent eller inaktiv enhet «%(v)s».") % {"v": code})
    moment = parse_moment(row.get("tidspunkt", ""), "tidspunkt")
    count = {
        "category": parse_choice(row.get("kategori", ""), BedCategory.choices, "kategori"),
        "staffed": parse_count(row.get("bemannet", ""), "bemannet"),
        "occupied": parse_count(row.get("belagt", ""), "belagt"),
        "available": parse_count(row.get("ledig", ""), "ledig"),
        "surge_24h": parse_count(row.get("okning_24t", ""), "okning_24t", 0),
        "surge_72h": parse_count(row.get("okning_72t", ""), "okning_72t", 0),
    }
    header = {
        "surge_active": parse_flag(row.get("forsterket_drift", ""), "forsterket_drift"),
        "ventilators_total": parse_count(
            row.get("respiratorer_totalt", ""), "respiratorer_totalt", 0
        ),
        "ventilators_in_use": parse_count(
            row.get("respiratorer_i_bruk", ""), "respiratorer_i_bruk", 0
        ),
        "ecmo_total": parse_count(row.get("ecmo_totalt", ""), "ecmo_totalt", 0),
        "ecmo_in_use": parse_count(row.get("ecmo_i_bruk", ""), "ecmo_i_bruk", 0),
    }
    return (facility.pk, moment), {"facility": facility, "reported_at": moment, **header}, count


def import_bed_rows(*, by: Any, rows: list[dict[str, str]]) -> ImportResult:
    """One line per facility, time and bed category; lines with the same facility and time
    make one report. Any bad line rejects the file."""
    facilities = {f.code.lower(): f for f in bed_queries.facilities()}
    result = ImportResult()
    groups: dict[Any, Any] = {}
    for number, row in enumerate(rows, start=2):
        try:
            key, header, count = _bed_row(row, facilities)
        except ValidationError as exc:
            result.errors.append((number, "; ".join(_messages(exc))))
            continue
        group = groups.setdefault(key, {"header": header, "counts": [], "lines": []})
        group["counts"].append(count)
        group["lines"].append(number)
    with transaction.atomic():
        for group in groups.values():
            try:
                with transaction.atomic():
                    bed_services.submit_bed_report(
                        by=by, counts=group["counts"], source=ReportSource.CSV, **group["header"]
                    )
                result.created += 1
            except (ValidationError, PermissionDenied) as exc:
                reason = "; ".join(_messages(exc)) if isinstance(exc, ValidationError) else str(exc)
                result.errors.extend((line, reason) for line in group["lines"])
        if result.errors:
            transaction.set_rollback(True)
            result.created = 0
    result.errors.sort()
    return result


def _find_location(value: str, locations: Any, label: str) -> Any:
    text = (value or "").strip()
    if not text:
        raise ValidationError(_("%(f)s mangler.") % {"f": label})
    found = list(
        locations.filter(Q(name__iexact=text) | Q(pk=int(text) if text.isdigit() else None))[:2]
    )
    if len(found) != 1:
        raise ValidationError(_("%(f)s: fant ikke lagerstedet «%(v)s».") % {"f": label, "v": text})
    return found[0]


def _find_product(value: str) -> Product:
    text = (value or "").strip()
    if not text:
        raise ValidationError(_("produkt mangler."))
    matches = [
        p
        for p in Product.objects.filter(
            Q(name__iexact=text) | Q(atc_code__iexact=text) | Q(name__iexact=text.split(" ")[0])
        )
        if text.lower() in (p.name.lower(), str(p).lower(), p.atc_code.lower())
    ]
    if len(matches) != 1:
        message = (
            _("produkt: «%(v)s» er tvetydig; bruk fullt navn med styrke og form.")
            if matches
            else _("produkt: ukjent produkt «%(v)s».")
        )
        raise ValidationError(message % {"v": text})
    return matches[0]


def stock_row_handler(by: Any) -> Callable[[dict[str, str]], Any]:
    visible = stock_queries.locations(by)

    def handle(row: dict[str, str]) -> Any:
        kind = parse_choice(row.get("type", ""), MOVEMENT_KINDS, "type")
        location = _find_location(row.get("lagersted", ""), visible, "lagersted")
        common = {
            "by": by,
            "product": _find_product(row.get("produkt", "")),
            "lot": row.get("parti", "").strip(),
            "quantity": parse_count(row.get("antall", ""), "antall"),
            "reference": row.get("referanse", ""),
        }
        if kind == "receipt":
            return stock_services.receive(
                location=location,
                expires_on=parse_date(row.get("utlopsdato", ""), "utlopsdato"),
                **common,
            )
        if kind == "issue":
            return stock_services.issue(location=location, **common)
        target = _find_location(row.get("til_lagersted", ""), visible, "til_lagersted")
        return stock_services.transfer(source=location, target=target, **common)

    return handle


def import_stock_rows(*, by: Any, rows: list[dict[str, str]]) -> ImportResult:
    """One movement per line, applied in file order (a receipt may be issued further down)."""
    return run_import(rows, stock_row_handler(by))


LAYOUTS = {"beds": BED_LAYOUT, "stock": STOCK_LAYOUT}
IMPORTERS = {"beds": import_bed_rows, "stock": import_stock_rows}
