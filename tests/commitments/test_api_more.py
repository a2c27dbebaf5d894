"""Status reports through the API as the web's background job (start → 202, poll, cancel, download
PDF/DOCX/XLSX), and the write rules of progress notes and evidence seen from the API."""

import io
import json

from docx import Document
from openpyxl import load_workbook

from beredskap.commitments.models import ReportJob, StatusReport
from tests.commitments.pdftext import pdf_text
from tests.exercises.builders import make_exercise
from tests.factories import make_user, token_for, verified_client


def _api(user):
    client, headers = verified_client(user), token_for(user)

    def call(method, path, data=None):
        body = json.dumps(data) if data is not None else None
        return getattr(client, method)(
            f"/api/v1{path}", body, content_type="application/json", **headers
        )

    return call


def _cells_docx(content):
    return [
        cell.text
        for table in Document(io.BytesIO(content)).tables
        for row in table.rows
        for cell in row.cells
    ]


def _cells_xlsx(content):
    book = load_workbook(io.BytesIO(content))
    return [
        v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row
    ]


def test_the_secretariat_orders_the_storting_report_as_a_job_and_downloads_every_format(
    commitments, secretariat_user
):
    target = commitments.get(key="white_paper-16")
    api = _api(secretariat_user)
    assert (
        api(
            "post",
            f"/commitments/{target.pk}/progress",
            {"status": "in_progress", "text": "Arbeidsgruppen har levert sin rapport"},
        ).status_code
        == 201
    )
    started = api("post", "/status-report-jobs", {"kind": "storting"})
    assert started.status_code == 202, started.content
    job_id = started.json()["id"]
    job = api("get", f"/status-report-jobs/{job_id}").json()
    report = StatusReport.objects.get()
    assert (job["status"], job["progress"], job["kind"], job["report_id"]) == (
        "done",
        100,
        "storting",
        report.pk,
    )
    assert ReportJob.objects.get().requested_by == secretariat_user
    docx = api("get", f"/status-report-jobs/{job_id}/file?format=docx")
    assert docx.status_code == 200 and 'filename="statusrapport-' in docx["Content-Disposition"]
    cells = _cells_docx(docx.content)
    assert target.text in cells and "Arbeidsgruppen har levert sin rapport" in cells
    xlsx = api("get", f"/status-report-jobs/{job_id}/file?format=xlsx")
    assert xlsx.status_code == 200 and target.text in _cells_xlsx(xlsx.content)
    pdf = api("get", f"/status-report-jobs/{job_id}/file?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "Arbeidsgruppen har levert sin rapport" in pdf_text(pdf.content)
    assert api("get", f"/status-reports/{report.pk}/file?format=pdf").content == pdf.content
    assert api("get", f"/status-report-jobs/{job_id}/file?format=exe").status_code == 422
    assert [j["id"] for j in api("get", "/status-report-jobs").json()["items"]] == [job_id]


def test_the_quarterly_report_is_made_and_an_unknown_kind_is_refused(commitments, secretariat_user):
    api = _api(secretariat_user)
    job = api("post", "/status-report-jobs", {"kind": "quarterly"}).json()
    assert job["status"] == "done" and StatusReport.objects.get().kind == "quarterly"
    assert api("post", "/status-report-jobs", {"kind": "annual"}).status_code == 422
    xlsx = api("get", f"/status-report-jobs/{job['id']}/file?format=xlsx")
    assert xlsx.status_code == 200 and commitments.first().text in _cells_xlsx(xlsx.content)


def test_only_the_secretariat_orders_reports_and_only_the_orderer_sees_the_job(
    commitments, secretariat_user, org
):
    reader = _api(make_user("les", org("FHI")))
    refused = reader("post", "/status-report-jobs", {"kind": "storting"})
    assert (
        refused.status_code == 403
        and refused.json()["code"] == "forbidden"
        and not ReportJob.objects.exists()
    )
    job_id = _api(secretariat_user)("post", "/status-report-jobs", {"kind": "storting"}).json()[
        "id"
    ]
    other = _api(make_user("annen", org("HOD"), role="secretariat"))
    for probe in (reader, other):
        assert probe("get", f"/status-report-jobs/{job_id}").status_code == 404
        assert probe("get", f"/status-report-jobs/{job_id}/file?format=pdf").status_code == 404
        assert probe("post", f"/status-report-jobs/{job_id}/cancel").status_code == 404
        assert probe("get", "/status-report-jobs").json()["count"] == 0


def test_a_queued_report_is_not_downloadable_and_is_cancelled_once(
    commitments, secretariat_user, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }  # queued, not run
    api = _api(secretariat_user)
    job_id = api("post", "/status-report-jobs", {"kind": "storting"}).json()["id"]
    assert api("get", f"/status-report-jobs/{job_id}").json()["status"] == "queued"
    not_ready = api("get", f"/status-report-jobs/{job_id}/file?format=pdf")
    assert not_ready.status_code == 409 and not_ready.json()["code"] == "not_ready"
    cancelled = api("post", f"/status-report-jobs/{job_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = api("post", f"/status-report-jobs/{job_id}/cancel")
    assert again.status_code == 409 and again.json()["code"] == "not_active"
    assert not StatusReport.objects.exists()


def test_an_idempotent_retry_of_the_order_starts_one_job(commitments, secretariat_user):
    client, headers = verified_client(secretariat_user), token_for(secretariat_user)
    for _ in range(2):
        response = client.post(
            "/api/v1/status-report-jobs",
            json.dumps({"kind": "storting"}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="rapport-1",
            **headers,
        )
        assert response.status_code == 202
    assert ReportJob.objects.count() == 1 and StatusReport.objects.count() == 1


def test_progress_notes_follow_the_rules_for_roles_versions_and_dates(
    commitments, org, secretariat_user
):
    target = commitments.get(key="white_paper-16")
    target.responsible_org = org("Hdir")
    target.save()
    reporter = _api(make_user("rapportor", org("Hdir"), role="reporter"))
    note = reporter(
        "post",
        f"/commitments/{target.pk}/progress",
        {"text": "Utkast sendt på høring", "status": "in_progress", "written_on": "2025-03-01"},
    )
    assert note.status_code == 201 and note.json()["status"] == "in_progress"
    assert note.json()["notes"][0] == {
        **note.json()["notes"][0],
        "written_on": "2025-03-01",
        "status_before": "not_started",
        "status_after": "in_progress",
    }
    stale = reporter(
        "post",
        f"/commitments/{target.pk}/progress",
        {"text": "Ferdig", "status": "done", "version": 1},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    future = reporter(
        "post", f"/commitments/{target.pk}/progress", {"text": "Snart", "written_on": "2999-01-01"}
    )
    assert future.status_code == 400
    outsider = _api(make_user("ute", org("FHI"), role="reporter"))
    assert (
        outsider("post", f"/commitments/{target.pk}/progress", {"text": "Nei"}).status_code == 403
    )
    assert outsider("post", "/commitments/99999999999/progress", {"text": "Nei"}).status_code == 404
    target.refresh_from_db()
    assert target.status == "in_progress" and target.notes.count() == 1


def test_evidence_links_only_records_the_user_may_see_and_only_by_those_who_may_report(
    commitments, org, secretariat_user
):
    target = commitments.get(key="white_paper-16")
    hidden = make_exercise(
        secretariat_user, org("DSA"), title="Gradert atomøvelse", classification=2
    )
    api = _api(secretariat_user)
    assert (
        api(
            "post",
            f"/commitments/{target.pk}/evidence",
            {"target": "exercises.exercise", "target_id": hidden.pk},
        ).status_code
        == 404
    )
    shown = make_exercise(secretariat_user, org("HOD"), title="Arctic REIHN")
    reader = _api(make_user("les", org("FHI")))
    assert (
        reader(
            "post",
            f"/commitments/{target.pk}/evidence",
            {"target": "exercises.exercise", "target_id": shown.pk},
        ).status_code
        == 403
    )
    linked = api(
        "post",
        f"/commitments/{target.pk}/evidence",
        {"target": "exercises.exercise", "target_id": shown.pk, "note": "Viser samvirke"},
    )
    assert linked.status_code == 201
    assert linked.json()["evidence"] == [
        {"model": "exercise", "id": shown.pk, "label": "Arctic REIHN", "note": "Viser samvirke"}
    ]
    assert [e["label"] for e in reader("get", f"/commitments/{target.pk}").json()["evidence"]] == [
        "Arctic REIHN"
    ]
