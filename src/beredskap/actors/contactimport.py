"""The national import of contact points: one CSV/XLSX file for all organisations,
all-or-nothing with every bad row reported (DESIGN.md rule 3). Each organisation named in the
file gets exactly the file's contact points (so the same file imported twice changes nothing);
organisations not named keep theirs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from beredskap.actors.models import ContactKind, Organisation
from beredskap.actors.permissions import require_national_administrator
from beredskap.actors.services import contacts as contactservices
from beredskap.core.tabular import ImportResult, parse_choice, run_import

HEADER = ["organisasjon", "type", "verdi", "beskrivelse", "rekkefølge", "døgnbemannet"]
EXAMPLE = ["964982953", "Vakttelefon", "75 55 50 00", "Legevakt", "1", "ja"]
TRUE, FALSE = {"ja", "j", "1", "true", "x", "yes"}, {"nei", "n", "0", "false", "no"}


def find_organisation(value: str) -> Organisation:
    """By organisation number (nine digits), the platform's id, or exact name/short name."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(_("organisasjon mangler."))
    digits = text.replace(" ", "")
    found = None
    if digits.isdigit() and len(digits) == 9:
        found = Organisation.objects.filter(org_number=digits).first()
    elif digits.isdigit():
        found = Organisation.objects.filter(pk=int(digits)).first()
    else:
        found = (
            Organisation.objects.filter(name=text).first()
            or Organisation.objects.filter(short_name=text).first()
        )
    if found is None:
        raise ValidationError(_("organisasjonen «%(v)s» finnes ikke.") % {"v": value})
    return found


def _flag(value: str) -> bool:
    text = (value or "ja").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValidationError(_("døgnbemannet: skriv ja eller nei, ikke «%(v)s».") % {"v": value})


def _order(value: str) -> int | None:
    if not (value or "").strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError(_("rekkefølge: «%(v)s» er ikke et tall.") % {"v": value}) from None


def import_contact_points(*, by: Any, rows: list[dict[str, str]]) -> ImportResult:
    """Import the file's rows (national administrators only)."""
    require_national_administrator(by)
    missing = [h for h in ("organisasjon", "type", "verdi") if rows and h not in rows[0]]
    if missing:
        raise ValidationError(_("Kolonner mangler: %(c)s") % {"c": ", ".join(missing)})
    cleared: set[int] = set()

    def handle(row: dict[str, str]) -> None:
        org = find_organisation(row.get("organisasjon", ""))
        kind = parse_choice(row.get("type", ""), ContactKind.choices, "type")
        if org.pk not in cleared:
            contactservices.replace_contact_points(by=by, organisation=org, rows=[])
            cleared.add(org.pk)
        contactservices.add_contact_point(
            by=by,
            organisation=org,
            kind=kind,
            value=row.get("verdi", ""),
            label=row.get("beskrivelse", ""),
            order=_order(row.get("rekkefølge", "")),
            available_24_7=_flag(row.get("døgnbemannet", "")),
        )

    return run_import(rows, handle)
