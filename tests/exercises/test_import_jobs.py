"""XLSX imports run as background tasks with progress, cancellation and a result to download (long
work shows progress and can be cancelled). Tests use django-tasks' immediate backend, so a job runs
as it is queued."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from beredskap.exercises import services, tasks
from beredskap.exercises.models import Exercise, ImportJob
from tests.exercises.test_api import _xlsx
from tests.factories import make_user, verified_client

HEADER = [
    "Tittel",
    "Øvingsform",
    "Startdato",
    "Sluttdato",
    "Eier",
    "Risikoområde",
    "Hensikt",
    "Sted",
    "Deltakere",
    "Gradering",
]


def _row(title, owner="Hdir"):
    return [title, "drill", "2026-05-01", None, owner, "", "", "", "", ""]


@pytest.fixture
def lead(org):
    return make_user("utvalgsleder", org("Hdir"), role="reporter")


def test_an_upload_runs_in_the_background_and_shows_the_outcome(lead):
    client = verified_client(lead)
    response = client.post(
        "/ovelser/import/", {"kind": "exercises", "file": _xlsx(HEADER, [_row("A"), _row("B")])}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ovelser/import/{job.pk}/"
    assert (job.status, job.progress, job.created, job.requested_by) == ("done", 100, 2, lead)
    assert job.task_id
    page = client.get(f"/ovelser/import/{job.pk}/").content.decode()
    assert (
        "2 rader importert" in page and "hx-trigger" not in page and "Avbryt importen" not in page
    )
    assert sorted(Exercise.objects.values_list("title", flat=True)) == ["A", "B"]


def test_rejected_rows_are_listed_and_downloadable_and_nothing_is_saved(lead):
    client = verified_client(lead)
    client.post(
        "/ovelser/import/",
        {"kind": "exercises", "file": _xlsx(HEADER, [_row("God"), _row("Dårlig", "Ukjent")])},
    )
    job = ImportJob.objects.get()
    assert job.status == "done" and job.created == 0 and not Exercise.objects.exists()
    assert job.row_errors == [
        {"row": 3, "field": "Eier", "message": "Ukjent organisasjon «Ukjent»."}
    ]
    download = client.get(f"/ovelser/import/{job.pk}/resultat.xlsx")
    assert download.status_code == 200 and download["Content-Type"].startswith(
        "application/vnd.openxml"
    )
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [3, "Eier", "Ukjent organisasjon «Ukjent»."] in rows


def test_a_job_cancelled_while_it_runs_saves_nothing(lead, monkeypatch):
    real = services.create_exercise

    def create_then_cancel(**kwargs):  # the user presses «Avbryt» while the first row is handled
        made = real(**kwargs)
        services.cancel_import(by=lead, job=ImportJob.objects.get())
        return made

    monkeypatch.setattr(services, "create_exercise", create_then_cancel)
    job = services.start_import(
        by=lead,
        kind="exercises",
        data=_xlsx(HEADER, [_row("A"), _row("B")]).read(),
        file_name="plan.xlsx",
    )
    assert job.status == "cancelled" and job.finished_at is not None
    assert not Exercise.objects.exists()
    page = verified_client(lead).get(f"/ovelser/import/{job.pk}/").content.decode()
    assert "Ingenting fra filen er lagret" in page


def test_a_queued_job_polls_its_progress_and_can_be_cancelled_once(lead, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }  # queued, not run
    job = services.start_import(
        by=lead, kind="actions", data=b"PK-not-run-yet", file_name="tiltak.xlsx"
    )
    client = verified_client(lead)
    fragment = client.get(f"/ovelser/import/{job.pk}/status/").content.decode()
    assert (
        'hx-trigger="every 1s"' in fragment and "Avbryt importen" in fragment and "I kø" in fragment
    )
    assert client.post(f"/ovelser/import/{job.pk}/avbryt/").status_code == 302
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert tasks.execute_import(job.pk) == "skipped"  # a late delivery of the task does nothing
    with pytest.raises(ValidationError):
        services.cancel_import(by=lead, job=job)
    done = client.get(f"/ovelser/import/{job.pk}/status/?poll=1", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "hx-trigger" not in done.content.decode()


def test_an_unreadable_file_fails_with_a_clear_message(lead):
    job = services.start_import(
        by=lead, kind="exercises", data=b"not a workbook", file_name="x.xlsx"
    )
    assert job.status == "failed" and "ikke en gyldig XLSX-fil" in job.error_message


def test_only_the_one_who_started_an_import_sees_or_cancels_it(lead, org):
    job = services.start_import(by=lead, kind="exercises", data=_xlsx(HEADER, [_row("A")]).read())
    other = verified_client(make_user("annen", org("Hdir"), role="reporter"))
    for url in (
        f"/ovelser/import/{job.pk}/",
        f"/ovelser/import/{job.pk}/status/",
        f"/ovelser/import/{job.pk}/resultat.xlsx",
    ):
        assert other.get(url).status_code == 404
    assert other.post(f"/ovelser/import/{job.pk}/avbryt/").status_code == 404


def test_an_empty_or_oversized_upload_is_refused_before_it_is_queued(lead):
    with pytest.raises(ValidationError):
        services.start_import(by=lead, kind="exercises", data=b"")
    with pytest.raises(ValidationError):
        services.start_import(by=lead, kind="exercises", data=b"x" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError):
        services.start_import(by=lead, kind="plans", data=b"x")
    assert not ImportJob.objects.exists()
