"""Writes for personnel counts and the reserve personnel registry (white paper 3.1).

A volunteer registers with explicit consent, may change or export their data at any time,
and withdrawing consent deletes the registration (nothing is kept "just in case").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.capacity.models import PersonnelCount, PersonnelReport, Profession, ReserveVolunteer
from beredskap.capacity.models.personnel import RETENTION
from beredskap.capacity.permissions import require_reporter
from beredskap.capacity.services.common import check_not_future
from beredskap.core.audit import acting_as, record_event
from beredskap.core.errors import Conflict, refuse_duplicate

VOLUNTEER_FIELDS = {
    "profession",
    "hpr_number",
    "specialities",
    "health_region",
    "willing_to_travel",
    "availability",
    "available_from",
    "available_until",
    "contact_preference",
    "phone",
}


def submit_personnel_report(
    *, by: Any, owner_org: Any, reported_at: datetime, counts: Iterable[Mapping[str, Any]]
) -> PersonnelReport:
    """Counts by profession with absence; never names."""
    require_reporter(by, owner_org.pk)
    check_not_future(reported_at)
    rows, errors, seen = [], [], set()
    for raw in counts:
        profession, count, absent = raw.get("profession"), raw.get("count"), raw.get("absent", 0)
        if profession not in Profession.values or profession in seen:
            errors.append(_("Ukjent eller gjentatt yrke: %(p)s") % {"p": profession})
            continue
        seen.add(profession)
        if not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (count, absent)
        ):
            errors.append(
                _("%(p)s: antall og fravær må være heltall, 0 eller mer.") % {"p": profession}
            )
        elif absent > count:
            errors.append(_("%(p)s: fravær kan ikke være større enn antall.") % {"p": profession})
        else:
            rows.append(PersonnelCount(profession=profession, count=int(count or 0), absent=absent))
    if errors or not rows:
        raise ValidationError(errors or [_("Rapporten må ha minst ett yrke.")])
    with acting_as(by), transaction.atomic():
        report = PersonnelReport.objects.create(owner_org=owner_org, reported_at=reported_at)
        for row in rows:
            row.report = report
        PersonnelCount.objects.bulk_create(rows)
    return report


def _check_dates(volunteer: ReserveVolunteer) -> None:
    if (
        volunteer.available_from
        and volunteer.available_until
        and volunteer.available_until < volunteer.available_from
    ):
        raise ValidationError({"available_until": _("Til-dato kan ikke være før fra-dato.")})


def register_volunteer(*, by: Any, consent: bool, **fields: Any) -> ReserveVolunteer:
    """A person registers themselves in the reserve; explicit consent is required."""
    if not getattr(by, "is_authenticated", False):
        raise ValidationError(_("Du må være innlogget."))
    if consent is not True:
        raise ValidationError({"consent": _("Registreringen krever ditt uttrykkelige samtykke.")})
    if set(fields) - VOLUNTEER_FIELDS:
        raise ValidationError(
            _("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(set(fields) - VOLUNTEER_FIELDS))}
        )
    duplicate = _("Du er allerede registrert i reserveregisteret.")
    if ReserveVolunteer.objects.filter(user=by).exists():
        raise Conflict(duplicate, code="duplicate")
    now = timezone.now()
    with refuse_duplicate(duplicate), acting_as(by), transaction.atomic():
        volunteer = ReserveVolunteer(user=by, consent_given_at=now, confirmed_at=now, **fields)
        _check_dates(volunteer)
        volunteer.full_clean()
        volunteer.save()
    return volunteer


def update_volunteer(
    *, by: Any, volunteer: ReserveVolunteer, expected_version: int, **changes: Any
) -> ReserveVolunteer:
    """The person updates their own registration; saving also re-confirms it."""
    _require_self(by, volunteer)
    if set(changes) - VOLUNTEER_FIELDS:
        raise ValidationError(_("Ukjente felt."))
    with acting_as(by), transaction.atomic():
        for key, value in changes.items():
            setattr(volunteer, key, value)
        volunteer.confirmed_at = timezone.now()
        volunteer.version = expected_version
        _check_dates(volunteer)
        volunteer.full_clean()
        volunteer.save()
    return volunteer


def _require_self(by: Any, volunteer: ReserveVolunteer) -> None:
    from beredskap.core.errors import PermissionDenied

    if volunteer.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Bare personen selv kan endre sin registrering."))


def export_own_data(*, by: Any) -> str:
    """The person's own registration as JSON (right of access and portability)."""
    volunteer = ReserveVolunteer.objects.filter(user=by).select_related("health_region").first()
    if volunteer is None:
        return json.dumps({"registrert": False})
    data = {f: getattr(volunteer, f) for f in sorted(VOLUNTEER_FIELDS - {"health_region"})}
    data.update(
        registrert=True,
        health_region=volunteer.health_region.code,
        consent_given_at=volunteer.consent_given_at,
        confirmed_at=volunteer.confirmed_at,
        reconfirm_by=volunteer.reconfirm_by,
    )
    record_event("reserve_export", actor=by, label="capacity.reservevolunteer")
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


ERASURE_BASIS = "GDPR art. 17 (1) b: samtykket til reserveregisteret er trukket"


def withdraw_consent(*, by: Any) -> bool:
    """Withdrawing consent deletes the registration at once, and erases its content from the
    audit trail and the stored API answers (GDPR art. 17). Deployments already made are kept —
    the crisis's record of who was sent where must stand (arkivloven) — but only as a profession,
    a region and dates: the line's link to the person is cut and its label holds no identity."""
    from beredskap.core.erasure import erase

    volunteer = ReserveVolunteer.objects.filter(user=by).first()
    if volunteer is None:
        return False
    identifying = [volunteer.hpr_number, volunteer.phone]
    pk = str(volunteer.pk)
    with acting_as(by), transaction.atomic():
        volunteer.delete()
        erase(
            model="capacity.reservevolunteer",
            object_id=pk,
            needles=identifying,
            actor=by,
            reason=ERASURE_BASIS,
        )
    return True


def purge_expired(*, now: datetime | None = None) -> int:
    """Retention: remove registrations not re-confirmed within 12 months."""
    cutoff = (now or timezone.now()) - RETENTION
    removed = 0
    for volunteer in ReserveVolunteer.objects.filter(confirmed_at__lt=cutoff):
        volunteer.delete()
        removed += 1
    if removed:
        record_event(
            "reserve_retention_purge",
            detail={"removed": removed},
            label="capacity.reservevolunteer",
        )
    return removed
