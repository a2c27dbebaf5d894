"""The state of one organisation's situation report for one deadline, computed from the cycle's
deadlines and the reports received (DESIGN.md rule 12: a status is computed, never typed).

- «ikke forfalt»: the deadline is more than the reminder window away;
- «forfalt»: the report is due now — inside the reminder window, up to the deadline;
- «over frist»: the deadline has passed and the period is still the latest one, so a late report
  is still received for it;
- «mangler»: a later deadline has passed too; the period closed without a report;
- «levert»: a report was received for the period (late or not).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.operations.models import ReportingCycle

REMIND_BEFORE = timedelta(hours=2)


class ReportState(models.TextChoices):
    NOT_DUE = "not_due", _("Ikke forfalt")
    DUE = "due", _("Forfalt")
    OVERDUE = "overdue", _("Over frist")
    MISSING = "missing", _("Mangler")
    RECEIVED = "received", _("Levert")


def report_state(cycle: ReportingCycle, due: datetime, *, reported: bool, now: datetime) -> str:
    """One state per (organisation, deadline); see the module docstring for the rules."""
    from beredskap.operations.services.sitreps import next_deadline

    if reported:
        return ReportState.RECEIVED
    if now < due - REMIND_BEFORE:
        return ReportState.NOT_DUE
    if now <= due:
        return ReportState.DUE
    if now <= next_deadline(cycle, due):
        return ReportState.OVERDUE
    return ReportState.MISSING


def is_missing_yet(due: datetime, now: datetime) -> bool:
    """Only a passed deadline can make a report missing; one not yet due is awaited, not missing."""
    return now > due
