"""Status report files print progress notes as text: no markup in the PDF, no formula in the
XLSX."""

import io

from openpyxl import load_workbook

from beredskap.commitments import report_files, reports, services
from tests.commitments.pdftext import pdf_text


def test_a_note_with_markup_is_printed_as_text_in_the_pdf(commitments, secretariat_user):
    note = '<img src="/etc/passwd"/> <a href="http://evil">z</a> <b>x'
    services.add_progress(
        by=secretariat_user, commitment=commitments.get(key="white_paper-21"), text=note
    )
    pdf = report_files.render_pdf(reports.generate_report(by=secretariat_user, kind="storting"))
    assert "".join(note.split()) in "".join(pdf_text(pdf).split())
    assert b"/Subtype /Image" not in pdf and b"/Annot" not in pdf


def test_a_note_like_a_formula_is_text_in_the_xlsx(commitments, secretariat_user):
    services.add_progress(
        by=secretariat_user,
        commitment=commitments.get(key="white_paper-21"),
        text='=HYPERLINK("http://x")',
    )
    book = load_workbook(
        io.BytesIO(
            report_files.render_xlsx(reports.generate_report(by=secretariat_user, kind="storting"))
        )
    )
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.data_type for c in cells if c.data_type == "f"] == []
    assert '\'=HYPERLINK("http://x")' in [c.value for c in cells]
    assert any(isinstance(c.value, int) for c in cells)  # counts stay numbers
