"""The status report the ministry sends: a tagged PDF/UA with embedded fonts, language nb, page
numbers and the classification marking on every page; the same document as an A4 Word file;
overdue and at-risk commitments first and flagged; Norwegian dates."""

import io
from datetime import date, timedelta

import pikepdf
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from beredskap.commitments import report_document, report_files, reports, services
from tests.commitments.pdftext import page_texts
from tests.factories import verified_client

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _fonts(pdf):
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            for descendant in font.get("/DescendantFonts", [font]):
                yield descendant.get("/FontDescriptor")


def _report(secretariat_user, commitments, **preface):
    services.save_preface(
        by=secretariat_user,
        kind="storting",
        introduction=preface.get("introduction", "Dette er den første statusrapporten."),
        assessment=preface.get("assessment", "Arbeidet går i hovedsak etter planen."),
        recipient="Stortinget v/ helse- og omsorgskomiteen",
        sender="Helse- og omsorgsdepartementet",
        classification=preface.get("classification", 0),
        expected_version=None,
    )
    overdue = commitments.get(key="white_paper-17")
    services.add_progress(
        by=secretariat_user, commitment=overdue, text="Pågår", status="in_progress"
    )
    return reports.generate_report(by=secretariat_user, kind="storting")


def test_the_pdf_is_tagged_in_norwegian_with_every_font_embedded(commitments, secretariat_user):
    data = report_files.render_pdf(_report(secretariat_user, commitments))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked) is True
        assert str(pdf.Root.Lang) == "nb"
        assert str(pdf.docinfo.get("/Title", "")).startswith("Status for oppfølgingen")
        descriptors = list(_fonts(pdf))
        assert descriptors and all(any(key in d for key in FONT_FILES) for d in descriptors), (
            "a font is not embedded"
        )


def test_every_page_carries_its_number_and_the_classification_marking(
    commitments, secretariat_user
):
    data = report_files.render_pdf(_report(secretariat_user, commitments))
    pages = page_texts(data)
    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} av {len(pages)}" in text
        assert text.count("UGRADERT") >= 2  # header and footer
    assert "BEGRENSET" not in " ".join(pages)


def test_the_cover_names_sender_recipient_and_a_norwegian_date(commitments, secretariat_user):
    report = _report(secretariat_user, commitments)
    cover = page_texts(report_files.render_pdf(report))[0]
    today = date.fromisoformat(report.snapshot["generated_on"])
    assert "Stortinget v/ helse- og omsorgskomiteen" in cover
    assert "Helse- og omsorgsdepartementet" in cover
    assert report_document.norwegian_date(today) in cover
    assert today.isoformat() not in cover and today.strftime("%d.%m.%Y") not in cover


def test_the_secretariats_texts_come_before_the_tables(commitments, secretariat_user):
    report = _report(secretariat_user, commitments, assessment="Vurderingen: to forfalte.")
    text = " ".join(page_texts(report_files.render_pdf(report)))
    assert text.index("Innledning") < text.index("Samlet vurdering") < text.index("Status per")
    assert "Vurderingen: to forfalte." in text
    assert "Sekretariatet har ikke skrevet" not in text


def test_overdue_commitments_come_first_and_are_flagged(commitments, secretariat_user):
    report = _report(secretariat_user, commitments)
    doc = report_files.document_of(report)
    urgent = doc.sections[2]
    assert urgent.heading.startswith("Forfalte forpliktelser")
    table = urgent.tables[0]
    assert table.flags[0] == "overdue" and table.rows[0][0] == "Forfalt"
    assert any("interdepartemental arbeidsgruppe" in row[2] for row in table.rows)
    assert "31. desember 2024" in table.rows[0]
    done = [r for r in report.snapshot["commitments"] if r["status"] == "done"]
    assert all(report_document.flag_of(r, date.today()) == "" for r in done)
    chapters = doc.sections[-1].tables
    assert chapters[-1].caption == "Helsedirektoratets tiltak"  # the white paper first
    assert chapters[0].caption.startswith("Kapittel 1")


def test_the_word_file_is_a4_with_the_marking_in_header_and_footer(commitments, secretariat_user):
    data = report_files.render_docx(_report(secretariat_user, commitments))
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert abs(section.page_width.mm - 210) < 0.1 and abs(section.page_height.mm - 297) < 0.1
    assert "UGRADERT" in section.header.paragraphs[0].text
    assert "UGRADERT" in section.footer.paragraphs[0].text
    assert "NUMPAGES" in section.footer._element.xml and "PAGE" in section.footer._element.xml
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == [
        "Innledning",
        "Samlet vurdering",
        "Forfalte forpliktelser og forpliktelser med frist snart",
    ]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_norwegian_dates_are_day_month_name_year(day):
    text = report_document.norwegian_date(day)
    number, month, year = text.split(" ")
    assert number == f"{day.day}." and int(year) == day.year
    assert report_document.MONTHS.index(month) == day.month - 1


def test_a_deadline_within_half_a_year_is_at_risk_and_a_done_one_is_not():
    today = date(2026, 12, 4)

    def row(days, status="in_progress"):
        return {"status": status, "due_date": (today + timedelta(days=days)).isoformat()}

    assert report_document.flag_of(row(-1), today) == "overdue"
    assert report_document.flag_of(row(30), today) == "at-risk"
    assert report_document.flag_of(row(400), today) == ""
    assert report_document.flag_of(row(-1, "done"), today) == ""


def test_the_report_page_previews_the_same_html(commitments, secretariat_user):
    report = _report(secretariat_user, commitments)
    response = verified_client(secretariat_user).get(f"/oppfolging/rapporter/{report.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and 'lang="nb"' in html
    assert "Samlet vurdering" in html and "Arbeidet går i hovedsak etter planen." in html
    assert "report-overdue" in html and "commitments/report.css" in html
