"""The secretariat writes each report period's introduction, summary assessment, sender,
recipient and classification marking; they go into the next report, through the change log."""

import pytest

from beredskap.commitments import report_files, reports, services
from beredskap.commitments.models import ReportPreface
from beredskap.core.errors import PermissionDenied, StaleEdit
from beredskap.core.models import AuditEvent
from tests.factories import make_user, verified_client


def _save(by, **fields):
    return services.save_preface(by=by, kind="storting", expected_version=None, **fields)


def test_the_texts_of_the_period_go_into_the_next_report_and_the_change_log(
    commitments, secretariat_user
):
    preface = _save(secretariat_user, introduction="Innledning.", assessment="Vurdering.")
    assert AuditEvent.objects.filter(model="commitments.reportpreface", action="create").exists()
    report = reports.generate_report(by=secretariat_user, kind="storting")
    assert report.snapshot["preface"]["assessment"] == "Vurdering."
    assert report.snapshot["preface"]["period"] == preface.period
    texts = [p for s in report_files.document_of(report).sections[:2] for p in s.paragraphs]
    assert texts == ["Innledning.", "Vurdering."]


def test_a_report_without_texts_says_they_are_missing_and_invents_none(
    commitments, secretariat_user
):
    report = reports.generate_report(by=secretariat_user, kind="storting")
    first, second = report_files.document_of(report).sections[:2]
    assert first.paragraphs == ["Sekretariatet har ikke skrevet noen innledning."]
    assert second.paragraphs == ["Sekretariatet har ikke skrevet noen samlet vurdering."]


def test_a_stale_edit_of_the_texts_is_refused(db, secretariat_user):
    first = _save(secretariat_user, introduction="En")
    services.save_preface(
        by=secretariat_user, kind="storting", expected_version=first.version, introduction="To"
    )
    with pytest.raises(StaleEdit):
        services.save_preface(
            by=secretariat_user,
            kind="storting",
            expected_version=first.version,
            introduction="Tre",
        )
    assert ReportPreface.objects.get().introduction == "To"


def test_only_the_secretariat_writes_the_texts(db, org):
    with pytest.raises(PermissionDenied):
        _save(make_user("les", org("FHI"), role="reporter"), introduction="Nei")
    assert not ReportPreface.objects.exists()


def test_a_marking_above_ones_own_clearance_is_refused_and_the_typed_text_is_kept(
    db, secretariat_user
):
    client = verified_client(secretariat_user)
    response = client.post(
        "/oppfolging/rapporter/tekst/storting/",
        {
            "sender": "HOD",
            "recipient": "Stortinget",
            "classification": "1",
            "introduction": "Mitt utkast til innledning",
            "assessment": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Du kan ikke lagre et dokument du selv ikke har tilgang til." in page
    assert "Mitt utkast til innledning" in page
    assert not ReportPreface.objects.exists()


def test_the_marking_chosen_is_printed_on_every_page(commitments, org):
    cleared = make_user("sek2", org("HOD"), role="secretariat", clearance=1)
    _save(cleared, classification=1, introduction="I", assessment="V")
    report = reports.generate_report(by=cleared, kind="storting")
    from tests.commitments.pdftext import page_texts

    pages = page_texts(report_files.render_pdf(report))
    assert all(text.count("BEGRENSET") >= 2 for text in pages)
    assert not any("UGRADERT" in text for text in pages)


def test_a_report_marked_above_a_readers_clearance_is_neither_listed_nor_served(commitments, org):
    cleared = make_user("sek2", org("HOD"), role="secretariat", clearance=1)
    _save(cleared, classification=1, introduction="I", assessment="V")
    report = reports.generate_report(by=cleared, kind="storting")
    reader = verified_client(make_user("les", org("FHI")))
    for url in (f"/oppfolging/rapporter/{report.pk}.pdf", f"/oppfolging/rapporter/{report.pk}/"):
        assert reader.get(url).status_code == 404
    assert report.title not in reader.get("/oppfolging/rapporter/").content.decode()
    assert verified_client(cleared).get(f"/oppfolging/rapporter/{report.pk}/").status_code == 200
    uncleared = make_user("sek0", org("HOD"), role="secretariat")
    with pytest.raises(PermissionDenied):
        reports.generate_report(by=uncleared, kind="storting")
