"""Writes for emergency water (white paper 4.5): one current record per municipality."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.capacity.models import WaterSupply
from beredskap.capacity.permissions import can_report_for, require_reporter
from beredskap.core.audit import acting_as
from beredskap.core.errors import Conflict, refuse_duplicate

WATER_FIELDS = {
    "population_share_pct",
    "days",
    "capacity_litres_per_day",
    "by_tankers",
    "by_bottled",
    "by_reserve_source",
    "hospitals_total",
    "hospitals_covered",
    "nursing_homes_total",
    "nursing_homes_covered",
    "reviewed_on",
    "notes",
}


def _owner(municipality: Any) -> Any:
    from beredskap.actors.models import Organisation

    org = Organisation.objects.filter(municipality=municipality).first()
    if org is None:
        raise ValidationError(_("Kommunen finnes ikke som organisasjon."))
    return org


def save_water_supply(
    *, by: Any, municipality: Any, expected_version: int | None = None, **fields: Any
) -> WaterSupply:
    """The municipality records its emergency-water capacity (create, or edit with version)."""
    owner = _owner(municipality)
    require_reporter(by, owner.pk)
    if set(fields) - WATER_FIELDS:
        raise ValidationError(
            _("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(set(fields) - WATER_FIELDS))}
        )
    reviewed = fields.get("reviewed_on")
    if isinstance(reviewed, date) and reviewed > timezone.localdate():
        raise ValidationError({"reviewed_on": _("Gjennomgangsdato kan ikke være fram i tid.")})
    duplicate = _("Posten finnes allerede; oppgi versjon for å endre den.")
    with refuse_duplicate(duplicate), acting_as(by), transaction.atomic():
        record = WaterSupply.objects.filter(municipality=municipality).first()
        if record is None:
            record = WaterSupply(municipality=municipality, owner_org=owner)
        elif expected_version is None:
            raise Conflict(duplicate, code="duplicate")
        else:
            record.version = expected_version
        for key, value in fields.items():
            setattr(record, key, value)
        record.full_clean()
        record.save()
    return record


def can_edit_water(user: Any, municipality: Any) -> bool:
    from beredskap.actors.models import Organisation

    org = (
        Organisation.objects.filter(municipality=municipality).values_list("pk", flat=True).first()
    )
    return can_report_for(user, org)
