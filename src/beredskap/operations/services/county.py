"""The statsforvalter's county report is a draft she reviews, edits and then files; only a filed
report reaches the national summary (Meld. St. 5 (2023–2024) 2.3: the statsforvalter links the
municipalities and the centre, and answers for what she passes on)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.audit import acting_as
from beredskap.core.errors import PermissionDenied
from beredskap.operations.models import SituationReport, StatusColour
from beredskap.operations.models.sitreps import SECTIONS, ReportKind
from beredskap.operations.permissions import reports_for, require_open
from beredskap.operations.services.crises import log


def _require_draft(by: Any, report: SituationReport) -> None:
    if report.kind != ReportKind.COUNTY or not report.draft:
        raise ValidationError(_("Bare et fylkesrapportutkast kan endres eller sendes inn."))
    if not reports_for(by, report.organisation):
        raise PermissionDenied(
            _("Bare embetets rapportører kan endre og sende inn fylkesrapporten.")
        )
    require_open(report.crisis)


def edit_county_report(
    *, by: Any, report: SituationReport, expected_version: int, **fields: Any
) -> SituationReport:
    """Edit the draft's texts and colours; every colour must stay chosen."""
    _require_draft(by, report)
    allowed = {*SECTIONS, *(f"{s}_colour" for s in SECTIONS)}
    errors = {
        f"{s}_colour": _("Velg statusfarge (grønn, gul eller rød).")
        for s in SECTIONS
        if f"{s}_colour" in fields and fields[f"{s}_colour"] not in StatusColour.values
    }
    if errors:
        raise ValidationError(errors)
    with acting_as(by), transaction.atomic():
        for name, value in fields.items():
            if name in allowed:
                setattr(report, name, value)
        report.version = expected_version
        report.save()
    return report


def file_county_report(
    *, by: Any, report: SituationReport, expected_version: int
) -> SituationReport:
    """File the reviewed draft: from now on it is the county's report for that deadline."""
    _require_draft(by, report)
    with acting_as(by), transaction.atomic():
        report.draft = False
        report.submitted_at = timezone.now()
        report.submitted_by = by
        report.version = expected_version
        report.save()
        log(
            crisis=report.crisis,
            by=by,
            kind="report",
            text=_("Fylkesrapport fra %(o)s sendt inn.") % {"o": report.organisation.name},
        )
    return report
