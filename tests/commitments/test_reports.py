"""Status reports: contents of the PDF, DOCX and XLSX files, and changes since the previous
report."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from beredskap.commitments import report_files, reports, services
from beredskap.core.errors import PermissionDenied
from tests.commitments.pdftext import pdf_text
from tests.factories import make_user, verified_client


def _docx_tables(data: bytes) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in Document(io.BytesIO(data)).tables
    ]


def test_the_storting_report_has_tables_by_chapter_and_risk_area(commitments, secretariat_user):
    services.add_progress(
        by=secretariat_user,
        commitment=commitments.get(key="white_paper-21"),
        text="DMP opprettet",
        status="done",
    )
    report = reports.generate_report(by=secretariat_user, kind="storting")
    tables = _docx_tables(report_files.render_docx(report))
    by_chapter = next(t for t in tables if t[0][0] == "Kapittel")
    by_area = next(t for t in tables if t[0][0] == "Risikoområde")
    assert by_chapter[0] == [
        "Kapittel",
        "Ikke startet",
        "Pågår",
        "Gjennomført",
        "Avsluttet uten gjennomføring",
        "Totalt",
    ]
    assert ["Kapittel 4 Risiko og sårbarheter", "31", "0", "1", "0", "32"] in by_chapter
    assert ["Helsedirektoratets tiltak", "39", "0", "0", "0", "39"] in by_chapter
    assert by_chapter[-2][0] == "Helsedirektoratets tiltak"  # after the white paper's chapters
    assert by_chapter[-1] == ["Sum", "113", "0", "1", "0", "114"]
    assert [
        "Forsyningssikkerhet for legemidler og medisinsk utstyr",
        "5",
        "0",
        "1",
        "0",
        "6",
    ] in by_area


def test_the_next_report_lists_what_changed_since_the_previous_one(commitments, secretariat_user):
    first = reports.generate_report(by=secretariat_user, kind="storting")
    assert first.snapshot["changes"] == [] and first.previous is None
    services.add_progress(
        by=secretariat_user,
        commitment=commitments.get(key="white_paper-25"),
        text="Vannutvalget etablert",
        status="done",
    )
    second = reports.generate_report(by=secretariat_user, kind="storting")
    assert second.previous == first
    assert [(c["reference"], c["from"], c["to"]) for c in second.snapshot["changes"]] == [
        ("Meld. St. 5 pkt. 4.5", "not_started", "done")
    ]
    workbook = load_workbook(io.BytesIO(report_files.render_xlsx(second)))
    sheet = next(workbook[n] for n in workbook.sheetnames if "Endringer siden" in n)
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2][0] == "Meld. St. 5 pkt. 4.5" and rows[2][2:] == ["Ikke startet", "Gjennomført"]
    text = pdf_text(report_files.render_pdf(second))
    assert (
        "Endringer siden forrige rapport" in text and "pkt. 4.5" in text and "Gjennomført" in text
    )
    assert "Status per risikoområde" in text and "Atomhendelser" in text


def test_the_quarterly_report_counts_overdue_actions_by_organisation(
    commitments, secretariat_user, org
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.exercises.builders import add_point_with_action, conducted_with_evaluation

    evaluation = conducted_with_evaluation(secretariat_user, org("Hdir"))
    add_point_with_action(
        secretariat_user, evaluation, org("FHI"), due=timezone.localdate() - timedelta(days=3)
    )
    report = reports.generate_report(by=secretariat_user, kind="quarterly")
    tables = _docx_tables(report_files.render_docx(report))
    assert any(["Folkehelseinstituttet", "1"] in table for table in tables)
    assert "kvartal" in report.title


def test_only_the_secretariat_generates_reports_and_reads_the_quarterly_one(
    commitments, secretariat_user, org
):
    reader = make_user("les", org("FHI"))
    with pytest.raises(PermissionDenied):
        reports.generate_report(by=reader, kind="storting")
    storting = reports.generate_report(by=secretariat_user, kind="storting")
    quarterly = reports.generate_report(by=secretariat_user, kind="quarterly")
    client = verified_client(reader)
    response = client.get(f"/oppfolging/rapporter/{storting.pk}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/oppfolging/rapporter/{quarterly.pk}.pdf").status_code == 404
    assert client.get(f"/oppfolging/rapporter/{storting.pk}.exe").status_code == 404
    assert client.get(f"/oppfolging/rapporter/{storting.pk}/").status_code == 200
    assert client.get(f"/oppfolging/rapporter/{quarterly.pk}/").status_code == 404
    assert client.get("/oppfolging/rapporter/utkast/quarterly/").status_code == 404
    assert client.get("/oppfolging/rapporter/tekst/storting/").status_code == 404
    page = client.get("/oppfolging/rapporter/").content.decode()
    assert storting.title in page and quarterly.title not in page and "Lag rapport" not in page
