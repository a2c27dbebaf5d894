"""Spreadsheet and CSV cells the system writes cannot become formulas, and read back unchanged."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from beredskap.core.pdftext import markup_text
from beredskap.core.safecells import (
    FORMULA_START,
    SafeCsvWriter,
    append_row,
    safe_cell,
    unescape_cell,
)
from beredskap.core.tabular import read_rows

# Text as a user could type it (no characters an XLSX cell cannot hold); biased towards the
# characters that matter here.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("=+-@'\t\r\n \"|!A1("),
        st.characters(blacklist_categories=("Cs", "Cc")),
    ),
    max_size=20,
)


def test_a_formula_title_gets_an_apostrophe_and_ordinary_text_stays_as_typed():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for start in "=+-@\t\r":
        assert safe_cell(start + "1") == "'" + start + "1"
    assert safe_cell("Vannforurensning") == "Vannforurensning"
    assert safe_cell("Askøy = 2019") == "Askøy = 2019"
    assert safe_cell("'sitat'") == "'sitat'"


def test_numbers_dates_and_empty_cells_stay_what_they_are():
    for value in (-3, 2.5, Decimal("-1.5"), date(2024, 1, 1), datetime(2024, 1, 1, 8), None, True):
        assert safe_cell(value) is value


@given(TEXT)
def test_no_written_text_starts_like_a_formula(value):
    assert safe_cell(value)[:1] not in FORMULA_START


@given(TEXT)
def test_reading_back_a_written_text_gives_the_original(value):
    assert unescape_cell(safe_cell(value)) == value


@given(st.lists(TEXT, min_size=1, max_size=4))
def test_no_written_xlsx_cell_is_a_formula(values):
    book = Workbook()
    append_row(book.active, values)
    data = io.BytesIO()
    book.save(data)
    cells = list(load_workbook(io.BytesIO(data.getvalue())).active.iter_rows())[0]
    assert all(cell.data_type != "f" for cell in cells)


def test_control_characters_an_xlsx_cell_cannot_hold_are_dropped_not_a_crash():
    book = Workbook()
    append_row(book.active, ["Tittel\x01med\x1bkontrolltegn"])
    book.save(io.BytesIO())
    assert book.active["A1"].value == "Tittelmedkontrolltegn"


def test_an_exported_csv_and_xlsx_import_back_to_the_original_values():
    values = ['=HYPERLINK("http://x")', "-5 grader", "'=sitert", "Vanlig tekst"]
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, delimiter=";")
    writer.writerows([["tittel", "a", "b", "c"], values])
    written = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))[1]
    assert written == ['\'=HYPERLINK("http://x")', "'-5 grader", "''=sitert", "Vanlig tekst"]
    csv_rows = read_rows(SimpleUploadedFile("x.csv", buffer.getvalue().encode()))
    assert list(csv_rows[0].values()) == values

    book = Workbook()
    append_row(book.active, ["tittel", "a", "b", "c"])
    append_row(book.active, values)
    data = io.BytesIO()
    book.save(data)
    xlsx_rows = read_rows(SimpleUploadedFile("x.xlsx", data.getvalue()))
    assert list(xlsx_rows[0].values()) == values


@given(TEXT)
def test_pdf_markup_text_has_no_tag_or_entity_of_its_own(value):
    text = markup_text(value)
    assert "<" not in text.replace("<br/>", "")
    assert text.replace("<br/>", "\n").replace("&lt;", "<").replace("&gt;", ">").replace(
        "&amp;", "&"
    ) == value.replace("\r\n", "\n")


def test_the_exercise_import_reads_an_escaped_cell_as_the_original_text():
    from beredskap.exercises.imports import _text

    assert _text(safe_cell('=HYPERLINK("http://x")')) == '=HYPERLINK("http://x")'
    assert _text("'sitat") == "'sitat"
