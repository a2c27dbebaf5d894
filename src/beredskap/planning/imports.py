"""Import preparedness plans from the offered template (all-or-nothing)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from beredskap.actors.queries import find_org
from beredskap.core.tabular import ImportResult, parse_choice, parse_date, run_import
from beredskap.planning import services
from beredskap.planning.rules import PlanType

PLAN_HEADER = [
    "eier",
    "tittel",
    "plantype",
    "versjon",
    "godkjent",
    "sist_revidert",
    "revisjonssyklus_ar",
    "ovingssyklus_ar",
    "vedlegg",
]
PLAN_EXAMPLE = [
    "Bodø kommune",
    "Overordnet beredskapsplan",
    "Overordnet beredskapsplan",
    "3.0",
    "2024-03-01",
    "",
    "4",
    "2",
    "Sak 24/1234",
]


def _int(value: str, label: str, default: int | None) -> int | None:
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= 10:
        raise ValidationError(
            _("%(f)s: «%(v)s» må være et helt tall fra 1 til 10.") % {"f": label, "v": value}
        )
    return int(value)


def _plan_row(by: Any, row: dict[str, str]) -> Any:
    if not row.get("tittel"):
        raise ValidationError(_("Tittel mangler."))
    return services.create_plan(
        by=by,
        owner_org=find_org(row.get("eier", ""), _("Eier")),
        title=row["tittel"][:200],
        plan_type=parse_choice(row.get("plantype", ""), PlanType.choices, _("Plantype")),
        version_label=row.get("versjon", "")[:30],
        approved_on=parse_date(row.get("godkjent", ""), _("Godkjent")),
        last_reviewed_on=parse_date(row.get("sist_revidert", ""), _("Sist revidert")),
        review_cycle_years=_int(row.get("revisjonssyklus_ar", ""), _("Revisjonssyklus"), 4),
        exercise_cycle_years=_int(row.get("ovingssyklus_ar", ""), _("Øvingssyklus"), None),
        attachment_ref=row.get("vedlegg", "")[:300],
    )


def import_plans(*, by: Any, rows: list[dict[str, str]]) -> ImportResult:
    return run_import(rows, lambda row: _plan_row(by, row))
