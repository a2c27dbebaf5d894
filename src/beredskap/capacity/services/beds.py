"""Writes for beds and ICU: facilities and bed reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from beredskap.actors.permissions import is_admin
from beredskap.capacity.models import (
    BedCategory,
    BedCount,
    BedReport,
    Facility,
    FacilityKind,
    ReportSource,
)
from beredskap.capacity.permissions import require_reporter
from beredskap.capacity.services.common import all_or_nothing, check_not_future
from beredskap.core.audit import acting_as
from beredskap.core.errors import Conflict, PermissionDenied, refuse_duplicate

COUNT_FIELDS = ("staffed", "occupied", "available", "surge_24h", "surge_72h")


def create_facility(
    *, by: Any, name: str, kind: str, organisation: Any, municipality: Any = None, code: str = ""
) -> Facility:
    """Register a facility (administrators or reporters of its organisation)."""
    if not is_admin(by):
        require_reporter(by, organisation.pk)
    if kind not in FacilityKind.values:
        raise ValidationError({"kind": _("Ukjent type enhet.")})
    with acting_as(by), transaction.atomic():
        facility = Facility(
            name=name,
            kind=kind,
            organisation=organisation,
            municipality=municipality,
            code=code or slugify(name)[:60],
        )
        facility.full_clean()
        facility.save()
    return facility


def _count_label(category: str) -> str:
    return str(BedCategory(category).label) if category in BedCategory.values else category


def validate_counts(counts: Iterable[Mapping[str, Any]], *, surge_active: bool) -> list[BedCount]:
    """Check every category row; collect all problems into one ValidationError."""
    rows, errors, seen = [], [], set()
    for raw in counts:
        category = raw.get("category", "")
        label = _count_label(category)
        if category not in BedCategory.values:
            errors.append(_("Ukjent sengekategori: %(c)s") % {"c": category})
            continue
        if category in seen:
            errors.append(_("%(c)s er oppgitt to ganger.") % {"c": label})
            continue
        seen.add(category)
        values = {}
        for field in COUNT_FIELDS:
            value = raw.get(field, 0 if field.startswith("surge") else None)
            if value is None or isinstance(value, bool) or not isinstance(value, int):
                errors.append(_("%(c)s: %(f)s må være et heltall.") % {"c": label, "f": field})
                break
            if value < 0:
                errors.append(_("%(c)s: %(f)s kan ikke være negativ.") % {"c": label, "f": field})
                break
            values[field] = value
        else:
            physical = raw.get("physical")
            if physical is not None and (
                isinstance(physical, bool)
                or not isinstance(physical, int)
                or physical < values["staffed"]
            ):
                errors.append(
                    _("%(c)s: fysiske senger må være et heltall og minst like mange som bemannede.")
                    % {"c": label}
                )
                continue
            errors.extend(_rule_errors(label, values, surge_active))
            rows.append(BedCount(category=category, physical=physical, **values))
    if not rows and not errors:
        errors.append(_("Rapporten må ha minst én sengekategori."))
    if errors:
        raise ValidationError(errors)
    return rows


def _rule_errors(label: str, v: dict[str, int], surge_active: bool) -> list[str]:
    errors = []
    if v["occupied"] > v["staffed"] and not surge_active:
        errors.append(
            _(
                "%(c)s: belagte senger (%(o)d) er flere enn bemannede (%(s)d). Marker forsterket "
                "drift hvis dette er riktig."
            )
            % {"c": label, "o": v["occupied"], "s": v["staffed"]}
        )
    elif v["occupied"] + v["available"] > v["staffed"] and not surge_active:
        errors.append(
            _("%(c)s: belagte + ledige (%(n)d) er flere enn bemannede senger (%(s)d).")
            % {"c": label, "n": v["occupied"] + v["available"], "s": v["staffed"]}
        )
    if v["surge_72h"] < v["surge_24h"]:
        errors.append(
            _("%(c)s: økning innen 72 t kan ikke være mindre enn innen 24 t.") % {"c": label}
        )
    return errors


def submit_bed_report(
    *,
    by: Any,
    facility: Facility,
    reported_at: datetime,
    counts: Iterable[Mapping[str, Any]],
    surge_active: bool = False,
    ventilators_total: int = 0,
    ventilators_in_use: int = 0,
    ecmo_total: int = 0,
    ecmo_in_use: int = 0,
    comment: str = "",
    source: str = ReportSource.FORM,
    classification: int = 0,
    exempt_public: bool = False,
    exempt_legal_basis: str = "",
) -> BedReport:
    """Record a facility's bed status; only the facility's own reporters may submit."""
    require_reporter(by, facility.organisation_id)
    if not facility.active:
        raise ValidationError(_("Enheten er ikke aktiv."))
    check_not_future(reported_at)
    rows = validate_counts(counts, surge_active=surge_active)
    report = BedReport(
        facility=facility,
        reported_at=reported_at,
        source=source,
        surge_active=surge_active,
        ventilators_total=ventilators_total,
        ventilators_in_use=ventilators_in_use,
        ecmo_total=ecmo_total,
        ecmo_in_use=ecmo_in_use,
        comment=comment,
        owner_org_id=facility.organisation_id,
        classification=classification,
        exempt_public=exempt_public,
        exempt_legal_basis=exempt_legal_basis,
        reported_by=by,
    )
    for name in ("ventilators_total", "ventilators_in_use", "ecmo_total", "ecmo_in_use"):
        if not isinstance(getattr(report, name), int) or getattr(report, name) < 0:
            raise ValidationError({name: _("Må være et heltall, 0 eller mer.")})
    # facility and owner come from a loaded Facility: skip full_clean's two existence queries
    report.full_clean(exclude=["reported_by", "facility", "owner_org"])
    duplicate = {
        "reported_at": _("Det finnes allerede en rapport for %(f)s med samme tidspunkt.")
        % {"f": facility.name}
    }
    if BedReport.objects.filter(facility=facility, reported_at=reported_at).exists():
        raise Conflict(duplicate, code="duplicate")
    with refuse_duplicate(duplicate), acting_as(by), transaction.atomic():
        report.save()
        for row in rows:
            row.report = report
        BedCount.objects.bulk_create(rows)
    return report


def submit_many(*, by: Any, reports: list[dict[str, Any]], source: str) -> list[BedReport]:
    """Several reports from one file: all or nothing, every bad report named."""

    def write(item: dict[str, Any]) -> BedReport:
        return submit_bed_report(by=by, source=source, **item)

    def label(index: int, item: dict[str, Any]) -> str:
        facility = item.get("facility")
        return f"{index + 1}: {facility.name if facility else '?'}"

    return all_or_nothing(reports, write, label)


def deactivate_facility(*, by: Any, facility: Facility, expected_version: int) -> Facility:
    if not is_admin(by):
        raise PermissionDenied(_("Bare administratorer kan deaktivere enheter."))
    with acting_as(by), transaction.atomic():
        facility.active = False
        facility.version = expected_version
        facility.save()
    return facility
