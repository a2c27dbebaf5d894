"""Import of an organisation's users from CSV/XLSX: each row is an invitation; the whole file
or nothing (DESIGN.md rule 3) — invitation e-mails go out only when the file is accepted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from beredskap.actors.forms_users import ROLE_CHOICES
from beredskap.actors.models import Organisation, Role
from beredskap.actors.services.users import invite_member, require_administrator
from beredskap.core.tabular import ImportResult, parse_choice, run_import

HEADER = ["e-post", "navn", "rolle"]
EXAMPLE = ["kari.nordmann@kommune.no", "Kari Nordmann", "Rapportør"]


def import_users(
    *, by: Any, organisation: Organisation, rows: list[dict[str, str]]
) -> ImportResult:
    require_administrator(by, organisation)
    if rows and "e-post" not in rows[0]:
        raise ValidationError(_("Kolonnen «e-post» mangler."))
    seen: set[str] = set()

    def handle(row: dict[str, str]) -> None:
        email = row.get("e-post", "").strip().lower()
        if email in seen:
            raise ValidationError(_("e-post: %(e)s står to ganger i filen.") % {"e": email})
        seen.add(email)
        role = parse_choice(row.get("rolle", ""), ROLE_CHOICES, "rolle", default=Role.READER)
        invite_member(
            by=by, organisation=organisation, email=email, role=role, name=row.get("navn", "")
        )

    return run_import(rows, handle)
