"""ROS exports print what users typed as text: no markup in the PDF, no formula in the XLSX."""

import io

import pytest
from openpyxl import load_workbook

from tests.commitments.pdftext import pdf_text
from tests.factories import make_user, verified_client
from tests.risk.builders import make_analysis, make_event


def _squeezed(text: str) -> str:
    """PDF text without spaces (reportlab draws a line in pieces; the test reader joins them
    with spaces)."""
    return "".join(text.split())


MARKUP_TITLES = ["<b>x", '<img src="/etc/passwd"/>', '<a href="http://evil">z</a>']


@pytest.fixture
def writer(org):
    return make_user("skriver", org("HOD"), role="secretariat", clearance=1)


@pytest.mark.parametrize("title", MARKUP_TITLES)
def test_a_pdf_of_an_analysis_with_markup_in_its_title_prints_the_characters(writer, org, title):
    analysis = make_analysis(writer, org("HOD"), title=title)
    make_event(writer, analysis, title=f"Hendelse {title}")
    response = verified_client(writer).get(f"/risiko/{analysis.pk}/rapport.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = _squeezed(pdf_text(response.content))
    assert _squeezed(title) in text and _squeezed(f"Hendelse {title}") in text
    assert b"/Subtype /Image" not in response.content
    assert b"/Annot" not in response.content and b"/URI" not in response.content


def test_the_api_pdf_of_an_analysis_with_an_unclosed_tag_is_a_report_not_an_error(writer, org):
    from django.test import Client

    from tests.factories import token_for

    analysis = make_analysis(writer, org("HOD"), title="Risiko < 5 & <b>uavklart")
    response = Client().get(
        f"/api/v1/risk/analyses/{analysis.pk}/export?format=pdf", **token_for(writer)
    )
    assert response.status_code == 200, response.content[:300]
    assert _squeezed("Risiko < 5 & <b>uavklart") in _squeezed(pdf_text(response.content))


def test_an_xlsx_of_an_analysis_titled_like_a_formula_holds_text_not_a_formula(writer, org):
    analysis = make_analysis(writer, org("HOD"), title='=HYPERLINK("http://x")')
    make_event(writer, analysis, title="+cmd|' /C calc'!A0", causes="@SUM(1)")
    response = verified_client(writer).get(f"/risiko/{analysis.pk}/eksport.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    title = book["Analyse"]["B2"]
    assert title.value == '\'=HYPERLINK("http://x")' and title.data_type != "f"
    events = book["Hendelser"]
    assert events["B2"].value == "'+cmd|' /C calc'!A0" and events["B2"].data_type != "f"
    assert "'@SUM(1)" in [c.value for c in events[2]]
    formulas = [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert isinstance(events["E2"].value, str) and book["Analyse"]["B7"].value == 1
