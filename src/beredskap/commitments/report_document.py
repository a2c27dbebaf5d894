"""The status report as one document — cover, introduction, summary assessment, overdue and
at-risk commitments first, status by white-paper chapter and risk area, changes, and the
commitments chapter by chapter — built from a stored snapshot. The HTML template (PDF and browser
preview), the Word file and the Excel annex all render this one structure, so they say the same.

Dates are written the Norwegian way («4. desember 2026», Språkrådet's rule for dates in prose)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from beredskap.commitments.reports import (
    STATUS_LABELS,
    chapter_label,
    table_by,
    table_header,
)
from beredskap.core.timeutil import MONTHS_NB

MONTHS = MONTHS_NB
OPEN = {"not_started", "in_progress"}
AT_RISK_WITHIN = timedelta(days=180)
OVERDUE, AT_RISK = "overdue", "at-risk"
FLAG_LABELS = {OVERDUE: "Forfalt", AT_RISK: "Frist nærmer seg"}


def norwegian_date(value: date | str | None) -> str:
    """«4. desember 2026»; empty for no date."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[Any]]  # text, or numbers (counts stay numbers in the Excel annex)
    flags: list[str] = field(default_factory=list)  # per row: "overdue", "at-risk" or ""

    @property
    def lines(self) -> list[tuple[str, list[Any]]]:
        """(flag, row) pairs, for the templates."""
        return list(zip(self.flags or [""] * len(self.rows), self.rows, strict=True))


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class ReportDocument:
    title: str
    sender: str
    recipient: str
    date_text: str
    marking: str
    sections: list[Section]


def flag_of(row: dict[str, Any], today: date) -> str:
    """Overdue: the deadline has passed and the commitment is not done; at risk: it falls due
    within half a year and is not done."""
    if row["status"] not in OPEN or not row["due_date"]:
        return ""
    due = date.fromisoformat(row["due_date"])
    if due < today:
        return OVERDUE
    return AT_RISK if due - today <= AT_RISK_WITHIN else ""


def _paragraphs(text: str, missing: str) -> list[str]:
    parts = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    return parts or [missing]


def _commitment_table(caption: str, rows: list[dict[str, Any]], today: date) -> Table:
    flagged = sorted(rows, key=lambda r: (flag_of(r, today) != OVERDUE, flag_of(r, today) == ""))
    return Table(
        caption=caption,
        header=[_("Merknad"), _("Referanse"), _("Forpliktelse"), _("Ansvarlig"), _("Frist")]
        + [_("Status"), _("Siste notat")],
        rows=[
            [
                FLAG_LABELS.get(flag_of(r, today), ""),
                r["reference"],
                r["text"],
                r["responsible"] or r.get("responsible_text", ""),
                norwegian_date(r["due_date"]),
                str(STATUS_LABELS.get(r["status"], r["status"])),
                r["latest_note"],
            ]
            for r in flagged
        ],
        flags=[flag_of(r, today) for r in flagged],
    )


def _status_tables(rows: list[dict[str, Any]]) -> list[Section]:
    def counts(heading: str, field_name: str, first: str) -> Section:
        table = table_by(rows, field_name)
        return Section(heading, tables=[Table(heading, table_header(first), table)])

    return [
        counts(_("Status per kapittel i meldingen"), "chapter", _("Kapittel")),
        counts(_("Status per risikoområde"), "risk_area", _("Risikoområde")),
    ]


def _changes(snap: dict[str, Any]) -> Section:
    def label(code: str) -> str:
        return str(STATUS_LABELS.get(code, code)) if code else _("(ny)")

    since = norwegian_date(snap.get("previous_on"))
    heading = _("Endringer siden forrige rapport") + (f" ({since})" if since else "")
    rows = [
        [c["reference"], c["text"], label(c["from"]), label(c["to"])]
        for c in snap.get("changes", [])
    ]
    header = [_("Referanse"), _("Forpliktelse"), _("Fra"), _("Til")]
    if not rows:
        return Section(heading, paragraphs=[_("Ingen endringer i status.")])
    return Section(heading, tables=[Table(heading, header, rows)])


def _follow_up(follow: dict[str, Any]) -> Section:
    org = [[str(a), b] for a, b in follow["by_org"]] or [[_("Ingen"), 0]]
    area = [[str(a), b] for a, b in follow["by_area"]] or [[_("Ingen"), 0]]
    return Section(
        _("Forfalte tiltak etter øvelser og hendelser"),
        tables=[
            Table(_("Per organisasjon"), [_("Organisasjon"), _("Forfalte tiltak")], org),
            Table(_("Per risikoområde"), [_("Risikoområde"), _("Forfalte tiltak")], area),
        ],
    )


def _by_chapter(rows: list[dict[str, Any]], today: date) -> Section:
    chapters = sorted({r["chapter"] for r in rows})
    return Section(
        _("Forpliktelsene kapittel for kapittel"),
        tables=[
            _commitment_table(chapter_label(n), [r for r in rows if r["chapter"] == n], today)
            for n in chapters
        ],
    )


def build_document(title: str, snap: dict[str, Any]) -> ReportDocument:
    """The document of a stored report snapshot."""
    today = date.fromisoformat(snap["generated_on"])
    rows = snap["commitments"]
    preface = snap.get("preface") or {}
    urgent = [r for r in rows if flag_of(r, today)]
    urgent_section = Section(_("Forfalte forpliktelser og forpliktelser med frist snart"))
    if urgent:
        urgent_section.tables.append(_commitment_table(urgent_section.heading, urgent, today))
    else:
        urgent_section.paragraphs.append(_("Ingen forpliktelser er forfalt eller har frist snart."))
    sections = [
        Section(
            _("Innledning"),
            _paragraphs(
                preface.get("introduction", ""),
                _("Sekretariatet har ikke skrevet noen innledning."),
            ),
        ),
        Section(
            _("Samlet vurdering"),
            _paragraphs(
                preface.get("assessment", ""),
                _("Sekretariatet har ikke skrevet noen samlet vurdering."),
            ),
        ),
        urgent_section,
        *_status_tables(rows),
        _changes(snap),
    ]
    if snap.get("follow_up") is not None:
        sections.append(_follow_up(snap["follow_up"]))
    sections.append(_by_chapter(rows, today))
    return ReportDocument(
        title=title,
        sender=preface.get("sender", ""),
        recipient=preface.get("recipient", ""),
        date_text=norwegian_date(today),
        marking=preface.get("marking", "UGRADERT"),
        sections=sections,
    )
