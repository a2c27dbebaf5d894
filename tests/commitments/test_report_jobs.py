"""Status reports are generated as background tasks with progress, cancellation and downloads (long
work shows progress and can be cancelled). Tests use django-tasks' immediate backend, so a job runs
as it is queued."""

import pytest
from django.core.exceptions import ValidationError

from beredskap.commitments import reports, services, tasks
from beredskap.commitments.models import ReportJob, StatusReport, StatusReportFile
from beredskap.core.errors import PermissionDenied
from tests.factories import make_user, verified_client


def test_ordering_a_report_runs_it_in_the_background_and_offers_the_files(
    commitments, secretariat_user
):
    client = verified_client(secretariat_user)
    response = client.post("/oppfolging/rapporter/", {"kind": "storting"})
    job = ReportJob.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/oppfolging/rapporter/jobb/{job.pk}/"
    )
    assert (job.status, job.progress, job.requested_by) == (
        "done",
        100,
        secretariat_user,
    ) and job.task_id
    report = StatusReport.objects.get()
    assert job.report == report
    assert sorted(StatusReportFile.objects.filter(report=report).values_list("fmt", flat=True)) == [
        "docx",
        "pdf",
        "xlsx",
    ]
    page = client.get(f"/oppfolging/rapporter/jobb/{job.pk}/").content.decode()
    assert "Status for oppfølgingen av Meld. St. 5" in page and "hx-trigger" not in page
    assert f"/oppfolging/rapporter/{report.pk}.docx" in page
    pdf = client.get(f"/oppfolging/rapporter/{report.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.content == bytes(StatusReportFile.objects.get(report=report, fmt="pdf").content)


def test_a_report_cancelled_while_it_is_made_is_not_stored(
    commitments, secretariat_user, monkeypatch
):
    from beredskap.commitments import report_files

    real = report_files.render_docx

    def render_then_cancel(report):  # the secretary presses «Avbryt» while the Word file is made
        services.cancel_report(by=secretariat_user, job=ReportJob.objects.get())
        return real(report)

    monkeypatch.setitem(report_files.RENDERERS, "docx", (render_then_cancel, "application/x"))
    job = services.start_report(by=secretariat_user, kind="quarterly")
    assert job.status == "cancelled" and job.report is None
    assert not StatusReport.objects.exists() and not StatusReportFile.objects.exists()
    page = (
        verified_client(secretariat_user)
        .get(f"/oppfolging/rapporter/jobb/{job.pk}/")
        .content.decode()
    )
    assert "avbrutt og er ikke lagret" in page


def test_a_queued_report_polls_its_progress_and_is_cancelled_once(
    commitments, secretariat_user, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }  # queued, not run
    job = services.start_report(by=secretariat_user, kind="storting")
    client = verified_client(secretariat_user)
    listing = client.get("/oppfolging/rapporter/").content.decode()
    assert "Rapporter som lages nå" in listing
    fragment = client.get(f"/oppfolging/rapporter/jobb/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "Avbryt rapporten" in fragment
    assert client.post(f"/oppfolging/rapporter/jobb/{job.pk}/avbryt/").status_code == 302
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert tasks.execute_report(job.pk) == "skipped" and not StatusReport.objects.exists()
    with pytest.raises(ValidationError):
        services.cancel_report(by=secretariat_user, job=job)
    done = client.get(f"/oppfolging/rapporter/jobb/{job.pk}/status/?poll=1", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_only_the_secretariat_orders_reports_and_only_the_orderer_sees_the_job(
    commitments, secretariat_user, org
):
    reader = make_user("les", org("FHI"))
    with pytest.raises(PermissionDenied):
        services.start_report(by=reader, kind="storting")
    with pytest.raises(ValidationError):
        services.start_report(by=secretariat_user, kind="annual")
    job = services.start_report(by=secretariat_user, kind="storting")
    other = verified_client(make_user("annen", org("HOD"), role="secretariat"))
    for url in (
        f"/oppfolging/rapporter/jobb/{job.pk}/",
        f"/oppfolging/rapporter/jobb/{job.pk}/status/",
    ):
        assert other.get(url).status_code == 404
    assert other.post(f"/oppfolging/rapporter/jobb/{job.pk}/avbryt/").status_code == 404
    assert ReportJob.objects.count() == 1


def test_a_report_made_before_files_were_stored_is_still_rendered(commitments, secretariat_user):
    report = reports.generate_report(by=secretariat_user, kind="storting")
    StatusReportFile.objects.filter(report=report).delete()
    assert reports.file_content(report, "pdf").startswith(b"%PDF-")
