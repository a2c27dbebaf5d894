"""Status reports: the report to the Storting on the commitments of Meld. St. 5 (2023–2024)
(chapter 2, «Forholdet til Stortinget»: the government will report regularly on the status) and
the council's quarterly follow-up report. Each report is stored as a snapshot, so the next one
shows what changed since; the files (PDF, DOCX, XLSX) are rendered from the snapshot."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.commitments.models import (
    Commitment,
    CommitmentStatus,
    ReportKind,
    StatusReport,
    StatusReportFile,
)
from beredskap.commitments.permissions import require
from beredskap.core.access import access_context
from beredskap.core.audit import acting_as, record_event
from beredskap.core.errors import PermissionDenied
from beredskap.core.riskareas import RiskArea

STATUS_LABELS = dict(CommitmentStatus.choices)
AREA_LABELS = dict(RiskArea.choices)


def _commitment_rows() -> list[dict[str, Any]]:
    rows = []
    for c in Commitment.objects.select_related("responsible_org").prefetch_related("notes"):
        latest = c.notes.all()[:1]
        rows.append(
            {
                "key": c.key,
                "reference": c.reference,
                "source": c.source,
                "chapter": c.chapter,
                "section": c.section,
                "text": c.text,
                "risk_area": c.risk_area,
                "status": c.status,
                "responsible": c.responsible_org.name if c.responsible_org_id else "",
                "responsible_text": c.responsible_text,
                "due_date": c.due_date.isoformat() if c.due_date else "",
                "latest_note": latest[0].text if latest else "",
            }
        )
    return rows


def _follow_up(user: Any) -> dict[str, Any]:
    from beredskap.exercises import queries

    summary = queries.follow_up_summary(user)
    return {
        "total": summary["total"],
        "open_total": summary["open_total"],
        "by_org": [list(pair) for pair in summary["by_org"]],
        "by_area": [[str(AREA_LABELS.get(code, code)), n] for code, n in summary["by_area"]],
    }


def period_of(kind: str, day: Any) -> str:
    """The report period a day falls in: the year for the Storting, the quarter for the council."""
    if kind == ReportKind.STORTING:
        return str(day.year)
    return f"{day.year}-K{(day.month - 1) // 3 + 1}"


DEFAULT_RECIPIENT: dict[str, str] = {
    ReportKind.STORTING: "Stortinget v/ helse- og omsorgskomiteen",
    ReportKind.QUARTERLY: "Helseberedskapsrådet",
}


def preface_for(kind: str, day: Any) -> Any:
    """The secretariat's texts for the period of `day`, or an unsaved one with the defaults."""
    from beredskap.commitments.models import ReportPreface

    period = period_of(kind, day)
    found = ReportPreface.objects.filter(kind=kind, period=period).first()
    return found or ReportPreface(kind=kind, period=period, recipient=DEFAULT_RECIPIENT[kind])


def _preface_snapshot(kind: str, day: Any) -> dict[str, Any]:
    preface = preface_for(kind, day)
    return {
        "period": preface.period,
        "sender": preface.sender,
        "recipient": preface.recipient,
        "introduction": preface.introduction,
        "assessment": preface.assessment,
        "marking": str(preface.get_classification_display()),
        "level": int(preface.classification),
    }


def build_snapshot(*, user: Any, kind: str) -> dict[str, Any]:
    today = timezone.localdate()
    snapshot: dict[str, Any] = {
        "kind": kind,
        "generated_on": today.isoformat(),
        "commitments": _commitment_rows(),
        "preface": _preface_snapshot(kind, today),
    }
    if kind == ReportKind.QUARTERLY:
        snapshot["follow_up"] = _follow_up(user)
    return snapshot


def changes_between(
    previous: dict[str, Any] | None, current: dict[str, Any]
) -> list[dict[str, str]]:
    """Commitments whose status changed since the previous snapshot, and ones that are new."""
    before = {row["key"]: row for row in (previous or {}).get("commitments", [])}
    changes = []
    for row in current["commitments"]:
        old = before.get(row["key"])
        if previous is not None and old is None:
            changes.append(
                {
                    "reference": row["reference"],
                    "text": row["text"],
                    "from": "",
                    "to": row["status"],
                }
            )
        elif old is not None and old["status"] != row["status"]:
            changes.append(
                {
                    "reference": row["reference"],
                    "text": row["text"],
                    "from": old["status"],
                    "to": row["status"],
                }
            )
    return changes


def table_by(rows: list[dict[str, Any]], field: str) -> list[list[Any]]:
    """Counts per status for each value of `field` (chapter or risk area), with a total row."""
    counts: dict[Any, Counter] = {}
    for row in rows:
        counts.setdefault(row[field], Counter())[row["status"]] += 1
    statuses = list(CommitmentStatus.values)
    table: list[list[Any]] = []
    for value in sorted(counts, key=lambda v: _order(field, v)):
        label = AREA_LABELS.get(value, value) if field == "risk_area" else chapter_label(value)
        table.append(
            [str(label), *[counts[value][s] for s in statuses], sum(counts[value].values())]
        )
    totals = [sum(row[i + 1] for row in table) for i in range(len(statuses) + 1)]
    table.append([_("Sum"), *totals])
    return table


# Chapters of Meld. St. 5 (2023–2024) that hold commitments; 6 is the Directorate's list.
CHAPTER_TITLES = {
    1: "Innledning",
    2: "Et styrket system for helseberedskapen",
    3: "En motstandsdyktig helseberedskap",
    4: "Risiko og sårbarheter",
}


def chapter_label(chapter: int) -> str:
    if chapter == 6:
        return _("Helsedirektoratets tiltak")
    title = CHAPTER_TITLES.get(chapter)
    label = _("Kapittel %(n)s") % {"n": chapter}
    return f"{label} {title}" if title else label


def _order(field: str, value: Any) -> tuple[int, str]:
    """Chapters in number order; risk areas in the white paper's order, «Generelt» last."""
    if field == "risk_area":
        areas = [a for a in RiskArea.values if a != RiskArea.GENERAL] + [RiskArea.GENERAL]
        return (areas.index(value) if value in areas else len(areas), str(value))
    return (int(value) if str(value).isdigit() else 99, str(value))


def table_header(first: str) -> list[str]:
    return [first, *[str(STATUS_LABELS[s]) for s in CommitmentStatus.values], _("Totalt")]


def report_title(kind: str, today: Any) -> str:
    from beredskap.commitments.report_document import norwegian_date

    if kind == ReportKind.STORTING:
        return _("Status for oppfølgingen av Meld. St. 5 (2023–2024) per %(d)s") % {
            "d": norwegian_date(today)
        }
    quarter = (today.month - 1) // 3 + 1
    return _("Helseberedskapsrådets oppfølgingsrapport, %(q)s. kvartal %(y)s") % {
        "q": quarter,
        "y": today.year,
    }


FORMATS = ("pdf", "docx", "xlsx")


def generate_report(
    *,
    by: Any,
    kind: str,
    progress: Callable[[int], None] | None = None,
    finish: Callable[[StatusReport], bool] | None = None,
) -> StatusReport:
    """Take a snapshot, render its files and store it as the next report of its kind (the
    secretariat). `progress(percent)` may raise `jobs.Cancelled`; if `finish(report)` returns
    False (the job was cancelled meanwhile) nothing is stored."""
    from beredskap.commitments.report_files import RENDERERS
    from beredskap.exercises.jobs import Cancelled

    require(by, "manage_commitments")
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Ukjent rapporttype.")})
    step = progress or (lambda _percent: None)
    with acting_as(by), transaction.atomic():
        previous = StatusReport.objects.filter(kind=kind).order_by("-generated_at", "-id").first()
        snapshot = build_snapshot(user=by, kind=kind)
        if marking_level(snapshot) > access_context(by).clearance:
            raise PermissionDenied(
                _("Du kan ikke lage en rapport gradert høyere enn du selv har tilgang til.")
            )
        snapshot["changes"] = changes_between(previous.snapshot if previous else None, snapshot)
        snapshot["previous_on"] = previous.snapshot.get("generated_on") if previous else None
        step(25)
        report = StatusReport.objects.create(
            kind=kind,
            title=report_title(kind, timezone.localdate()),
            generated_by=by,
            previous=previous,
            snapshot=snapshot,
        )
        for number, fmt in enumerate(FORMATS, start=1):
            StatusReportFile.objects.create(
                report=report, fmt=fmt, content=RENDERERS[fmt][0](report)
            )
            step(25 + 25 * number)
        record_event(
            "report_generated",
            actor=by,
            label="commitments.statusreport",
            detail={"id": report.pk, "kind": kind},
        )
        if finish is not None and not finish(report):
            raise Cancelled
    return report


def file_content(report: StatusReport, fmt: str) -> bytes:
    """The stored file of a report, rendered now for reports made before files were stored."""
    from beredskap.commitments.report_files import RENDERERS

    stored = report.files.filter(fmt=fmt).values_list("content", flat=True).first()
    return bytes(stored) if stored is not None else RENDERERS[fmt][0](report)


def can_download(user: Any, report: StatusReport) -> bool:
    """The Storting report is open; the quarterly report carries follow-up counts of protected
    records and is for the secretariat only."""
    from beredskap.commitments.permissions import allowed

    if marking_level(report.snapshot) > access_context(user).clearance:
        return False  # a report marked above the reader's clearance is not hers to read
    return report.kind == ReportKind.STORTING or allowed(user, "manage_commitments")


def marking_level(snapshot: dict[str, Any]) -> int:
    return int((snapshot.get("preface") or {}).get("level", 0))
