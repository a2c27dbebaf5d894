"""The status report as an editable Word file: A4 (the Norwegian and European paper size, NS-EN
ISO 216), the classification marking in the header and footer of every page (sikkerhetsloven
and klassifiseringsforskriften: marking on every page), page numbers, the same sections as the
PDF."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from beredskap.commitments.report_document import OVERDUE, ReportDocument, Table

SHADE = {OVERDUE: "FDE2E1", "at-risk": "FFF4D6"}


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    begin, code, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(code)
    run._r.append(end)


def _page_setup(document, doc: ReportDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    header = section.header.paragraphs[0]
    header.text = f"{doc.marking}\t\t{doc.sender}"
    header.runs[0].bold = True
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{doc.marking}\t\tSide ").bold = False
    _field(footer, "PAGE")
    footer.add_run(" av ")
    _field(footer, "NUMPAGES")


def _language(document) -> None:
    """Norwegian bokmål as the document language (spelling, screen readers)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "nb-NO")
    rpr.append(lang)
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(10)


def _cover(document, doc: ReportDocument) -> None:
    marking = document.add_paragraph(doc.marking)
    marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking.runs[0].bold = True
    document.add_paragraph(doc.sender).runs[0].bold = True
    document.add_heading(doc.title, level=0)
    facts = document.add_table(rows=0, cols=2)
    for label, value in (
        ("Til", doc.recipient),
        ("Fra", doc.sender),
        ("Dato", doc.date_text),
        ("Gradering", doc.marking),
    ):
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _table(document, table: Table) -> None:
    caption = document.add_paragraph(table.caption)
    caption.runs[0].bold = True
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for i, value in enumerate(table.header):
        grid.rows[0].cells[i].text = str(value)
        grid.rows[0].cells[i].paragraphs[0].runs[0].bold = True
    for flag, row in table.lines:
        cells = grid.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = str(value)
            if flag:
                _shade(cells[i], SHADE[flag])
        if flag and cells[0].paragraphs[0].runs:
            cells[0].paragraphs[0].runs[0].bold = True
            cells[0].paragraphs[0].runs[0].font.color.rgb = RGBColor(0x9B, 0x1C, 0x1C)


def render_document_docx(doc: ReportDocument) -> bytes:
    document = Document()
    document.core_properties.title = doc.title
    document.core_properties.author = doc.sender
    document.core_properties.language = "nb-NO"
    document.core_properties.category = doc.marking
    _language(document)
    _page_setup(document, doc)
    _cover(document, doc)
    for section in doc.sections:
        document.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for table in section.tables:
            _table(document, table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
