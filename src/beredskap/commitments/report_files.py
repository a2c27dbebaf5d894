"""Render a stored status report as PDF (reportlab), editable DOCX (python-docx) and XLSX
(openpyxl)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from beredskap.commitments.models import StatusReport
from beredskap.commitments.reports import STATUS_LABELS, table_by, table_header
from beredskap.core.pdftext import paragraph
from beredskap.core.safecells import append_row


def _sections(report: StatusReport) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report's tables as (heading, header, rows) — the same content in every format."""
    snap = report.snapshot
    rows = snap["commitments"]
    label = lambda code: str(STATUS_LABELS.get(code, code)) if code else _("(ny)")  # noqa: E731
    sections = [
        (_("Status per kapittel"), table_header(_("Kapittel")), table_by(rows, "chapter")),
        (
            _("Status per risikoområde"),
            table_header(_("Risikoområde")),
            table_by(rows, "risk_area"),
        ),
        (
            _("Endringer siden forrige rapport")
            + (f" ({snap['previous_on']})" if snap.get("previous_on") else ""),
            [_("Referanse"), _("Forpliktelse"), _("Fra"), _("Til")],
            [
                [c["reference"], c["text"], label(c["from"]), label(c["to"])]
                for c in snap.get("changes", [])
            ]
            or [[_("Ingen endringer"), "", "", ""]],
        ),
    ]
    follow = snap.get("follow_up")
    if follow is not None:
        sections.append(
            (
                _("Forfalte tiltak etter øvelser og hendelser per organisasjon"),
                [_("Organisasjon"), _("Forfalte tiltak")],
                follow["by_org"] or [[_("Ingen"), 0]],
            )
        )
        sections.append(
            (
                _("Forfalte tiltak per risikoområde"),
                [_("Risikoområde"), _("Forfalte tiltak")],
                follow["by_area"] or [[_("Ingen"), 0]],
            )
        )
    sections.append(
        (
            _("Alle forpliktelser"),
            [
                _("Referanse"),
                _("Forpliktelse"),
                _("Ansvarlig"),
                _("Frist"),
                _("Status"),
                _("Siste notat"),
            ],
            [
                [
                    r["reference"],
                    r["text"],
                    r["responsible"],
                    r["due_date"],
                    label(r["status"]),
                    r["latest_note"],
                ]
                for r in rows
            ],
        )
    )
    return sections


def render_pdf(report: StatusReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=report.title,
        author="Beredskap",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    )
    story: list[Any] = [
        paragraph(report.title, styles["Title"]),
        paragraph(_("Generert %(d)s") % {"d": report.snapshot["generated_on"]}, styles["Normal"]),
    ]
    for heading, header, rows in _sections(report):
        story += [Spacer(1, 0.4 * cm), paragraph(heading, styles["Heading2"])]
        data = [[paragraph(v, cell) for v in header]]
        data += [[paragraph(v, cell) for v in row] for row in rows]
        table = Table(data, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6eef5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    doc.build(story)
    return buffer.getvalue()


def render_docx(report: StatusReport) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = report.title
    document.add_heading(report.title, level=0)
    document.add_paragraph(_("Generert %(d)s") % {"d": report.snapshot["generated_on"]})
    for heading, header, rows in _sections(report):
        document.add_heading(heading, level=1)
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for i, value in enumerate(header):
            table.rows[0].cells[i].text = str(value)
        for row in rows:
            cells = table.add_row().cells
            for i, value in enumerate(row):
                cells[i].text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_xlsx(report: StatusReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, (heading, header, rows) in enumerate(_sections(report), start=1):
        sheet = workbook.create_sheet(f"{index} {heading}"[:31].replace("/", "-"))
        append_row(sheet, [heading])
        sheet["A1"].font = Font(bold=True)
        append_row(sheet, [str(v) for v in header])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            append_row(sheet, row)
    workbook.properties.title = report.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


RENDERERS = {
    "pdf": (render_pdf, "application/pdf"),
    "docx": (
        render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
