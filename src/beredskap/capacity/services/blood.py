"""Writes for blood preparedness: inventories by component and group; donor counts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from beredskap.capacity.models import (
    BloodComponent,
    BloodCount,
    BloodGroup,
    BloodInventoryReport,
    EmergencyDonorCount,
)
from beredskap.capacity.permissions import require_reporter
from beredskap.capacity.services.common import check_not_future
from beredskap.core.audit import acting_as


def submit_blood_inventory(
    *,
    by: Any,
    owner_org: Any,
    blood_bank: str,
    reported_at: datetime,
    counts: Iterable[Mapping[str, Any]],
) -> BloodInventoryReport:
    require_reporter(by, owner_org.pk)
    check_not_future(reported_at)
    rows, errors, seen = [], [], set()
    for raw in counts:
        key = (raw.get("component"), raw.get("group"))
        if key[0] not in BloodComponent.values or key[1] not in BloodGroup.values or key in seen:
            errors.append(
                _("Ukjent eller gjentatt komponent/blodtype: %(c)s %(g)s")
                % {"c": key[0], "g": key[1]}
            )
            continue
        seen.add(key)
        units = raw.get("units")
        try:
            daily = Decimal(str(raw.get("daily_use")))
        except (InvalidOperation, TypeError):
            daily = Decimal(-1)
        if not isinstance(units, int) or isinstance(units, bool) or units < 0 or daily < 0:
            errors.append(
                _("%(c)s %(g)s: enheter og forbruk må være 0 eller mer.")
                % {"c": key[0], "g": key[1]}
            )
            continue
        rows.append(BloodCount(component=key[0], group=key[1], units=units, daily_use=daily))
    if errors or not rows:
        raise ValidationError(errors or [_("Oppgi minst én beholdning.")])
    with acting_as(by), transaction.atomic():
        report = BloodInventoryReport(
            owner_org=owner_org, blood_bank=blood_bank, reported_at=reported_at
        )
        report.full_clean()
        report.save()
        for row in rows:
            row.report = report
        BloodCount.objects.bulk_create(rows)
    return report


def submit_donor_count(
    *, by: Any, owner_org: Any, reported_at: datetime, donors: int
) -> EmergencyDonorCount:
    """A region's count of donors for emergency call-up (the number only)."""
    require_reporter(by, owner_org.pk)
    check_not_future(reported_at)
    if owner_org.health_region_id is None:
        raise ValidationError(_("Organisasjonen hører ikke til en helseregion."))
    if not isinstance(donors, int) or isinstance(donors, bool) or donors < 0:
        raise ValidationError({"donors": _("Antall givere må være 0 eller mer.")})
    with acting_as(by), transaction.atomic():
        return EmergencyDonorCount.objects.create(
            owner_org=owner_org,
            health_region_id=owner_org.health_region_id,
            reported_at=reported_at,
            donors=donors,
        )
