"""Render a stored status report: one HTML template to tagged PDF/UA (WeasyPrint; the state's
documents must be accessible, forskrift om universell utforming av IKT and WCAG 2.1), the same
document as an A4 Word file (python-docx) and its tables as an Excel annex (openpyxl)."""

from __future__ import annotations

import io
from pathlib import Path

from django.template.loader import render_to_string

from beredskap.commitments.models import StatusReport
from beredskap.commitments.report_document import ReportDocument, build_document
from beredskap.commitments.report_docx import render_document_docx
from beredskap.core.safecells import append_row

STYLESHEET = Path(__file__).parent / "static" / "commitments" / "report.css"


def document_of(report: StatusReport) -> ReportDocument:
    return build_document(report.title, report.snapshot)


def render_html(document: ReportDocument, *, preview: bool) -> str:
    """The report's HTML: the PDF's source, and the browser preview (with the stylesheet linked)."""
    return render_to_string(
        "commitments/report/document.html", {"doc": document, "preview": preview}
    )


def render_pdf(report: StatusReport) -> bytes:
    """Tagged PDF/UA-1 with embedded subset fonts, language nb and the title from <title>."""
    from weasyprint import CSS, HTML

    html = HTML(string=render_html(document_of(report), preview=False), base_url=str(STYLESHEET))
    return html.write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1", pdf_tags=True
    )


def render_docx(report: StatusReport) -> bytes:
    return render_document_docx(document_of(report))


def render_xlsx(report: StatusReport) -> bytes:
    """Every table of the report on its own sheet, overdue and at-risk rows first as in the PDF."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    document = document_of(report)
    tables = [(s.heading, t) for s in document.sections for t in s.tables]
    for index, (heading, table) in enumerate(tables, start=1):
        name = table.caption if table.caption != heading else heading
        sheet = workbook.create_sheet(f"{index} {name}"[:31].replace("/", "-"))
        append_row(sheet, [f"{heading} – {table.caption}" if name != heading else heading])
        sheet["A1"].font = Font(bold=True)
        append_row(sheet, [str(v) for v in table.header])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            append_row(sheet, row)
    workbook.properties.title = report.title
    workbook.properties.creator = document.sender
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
