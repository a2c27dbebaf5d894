"""XLSX imports through the API run as the web import's background job: 202 with the job, then
poll it for progress, counts and row errors; cancel it. Tests use the immediate task backend."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from beredskap.exercises.models import Action, Exercise, ImportJob
from tests.exercises.builders import conducted_with_evaluation, make_plan
from tests.exercises.test_api import _xlsx
from tests.factories import make_user, token_for, verified_client

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
ACTION_HEADER = ["Øvelse-ID", "Læringspunkt", "Tiltak", "Ansvarlig", "Kontaktperson", "Frist"]


def _row(title, owner="Hdir", starts="2026-05-01"):
    return [title, "drill", starts, None, owner, "infection", "Øke kapasitet", "Oslo", "FHI", ""]


@pytest.fixture
def lead(org):
    return make_user("utvalgsleder", org("Hdir"), role="reporter", clearance=1)


def _client(user):
    client, headers = verified_client(user), token_for(user)

    def upload(rows, header=HEADER, **fields):
        return client.post(
            "/api/v1/exercise-import-jobs", {"file": _xlsx(header, rows), **fields}, **headers
        )

    def get(path):
        return client.get(f"/api/v1{path}", **headers)

    def post(path):
        return client.post(f"/api/v1{path}", "{}", content_type="application/json", **headers)

    return upload, get, post


def test_an_exercise_import_is_queued_with_202_and_the_job_reaches_done_with_its_count(lead, org):
    upload, get, _ = _client(lead)
    response = upload([_row("Intensivøvelse Sør"), _row("Ransomware-øvelse")])
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    job = get(f"/exercise-import-jobs/{job_id}").json()
    assert (job["status"], job["progress"], job["created"], job["error_count"], job["errors"]) == (
        "done",
        100,
        2,
        0,
        [],
    )
    assert job["kind"] == "exercises" and job["file_name"] == "import.xlsx" and job["finished_at"]
    made = Exercise.objects.get(title="Intensivøvelse Sør")
    assert (made.owner_org, made.exercise_type, made.starts_on, made.risk_area) == (
        org("Hdir"),
        "drill",
        date(2026, 5, 1),
        "infection",
    )
    assert [str(p) for p in made.participants.all()] == ["Folkehelseinstituttet"]
    assert ImportJob.objects.get().requested_by == lead
    assert [j["id"] for j in get("/exercise-import-jobs").json()["items"]] == [job_id]


def test_a_file_with_a_bad_row_imports_nothing_and_reports_the_row_number_and_reason(lead):
    upload, get, _ = _client(lead)
    job_id = upload(
        [
            _row("God"),
            _row("Dårlig eier", owner="Finnes ikke AS"),
            _row("Dårlig dato", starts="31.02.2026"),
        ]
    ).json()["id"]
    job = get(f"/exercise-import-jobs/{job_id}").json()
    assert job["status"] == "done" and job["created"] == 0 and not Exercise.objects.exists()
    assert [(e["row"], e["field"]) for e in job["errors"]] == [(3, "Eier"), (4, "Startdato")]
    assert "Finnes ikke AS" in job["errors"][0]["message"] and job["error_count"] == 2
    report = get(f"/exercise-import-jobs/{job_id}/report")
    assert report.status_code == 200 and report["Content-Type"].startswith(
        "application/vnd.openxml"
    )
    rows = [
        list(r)
        for r in load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True)
    ]
    assert [3, "Eier", job["errors"][0]["message"]] in rows


def test_an_unreadable_file_fails_the_job_and_bad_form_values_are_refused(lead):
    client, headers = verified_client(lead), token_for(lead)
    junk = client.post(
        "/api/v1/exercise-import-jobs", {"file": io.BytesIO(b"not a workbook")}, **headers
    )
    assert (
        junk.status_code == 202
        and junk.json()["status"] == "failed"
        and junk.json()["error_message"]
    )
    upload, _, _ = _client(lead)
    assert upload([_row("A")], kind="people").status_code == 422
    assert client.post("/api/v1/exercise-import-jobs", {}, **headers).status_code == 422
    empty = client.post("/api/v1/exercise-import-jobs", {"file": io.BytesIO(b"")}, **headers)
    assert empty.status_code == 400 and ImportJob.objects.count() == 1


def test_exercises_are_imported_into_a_visible_plan_only(lead, org, secretariat_user):
    plan = make_plan(secretariat_user, org("HOD"))
    cleared = make_user("hodklarert", org("HOD"), role="secretariat", clearance=2)
    hidden = make_plan(cleared, org("HOD"), title="Gradert plan", classification=2)
    upload, get, _ = _client(lead)
    job = upload([_row("I planen")], plan_id=plan.pk)
    assert job.status_code == 202 and job.json()["plan_id"] == plan.pk
    assert Exercise.objects.get().plan == plan
    assert upload([_row("Skjult")], plan_id=hidden.pk).status_code == 404
    assert upload([_row("Tiltak")], kind="actions", plan_id=plan.pk).status_code == 400
    assert Exercise.objects.count() == 1


def test_an_action_import_creates_actions_and_refuses_a_due_date_before_the_exercise(lead, org):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    ex = evaluation.exercise
    early = (ex.starts_on - timedelta(days=1)).isoformat()
    upload, get, _ = _client(lead)
    rows = [
        [ex.pk, "Varsling", "Ny varslingsliste", "FHI", "Kari", ex.starts_on.isoformat()],
        [ex.pk, "Varsling", "Gammel frist", "FHI", "Kari", early],
    ]
    bad = get(
        f"/exercise-import-jobs/{upload(rows, ACTION_HEADER, kind='actions').json()['id']}"
    ).json()
    assert (
        bad["created"] == 0
        and [e["row"] for e in bad["errors"]] == [3]
        and not Action.objects.exists()
    )
    good = get(
        f"/exercise-import-jobs/{upload(rows[:1], ACTION_HEADER, kind='actions').json()['id']}"
    ).json()
    assert (good["status"], good["created"]) == ("done", 1)
    action = Action.objects.get()
    assert (action.title, action.responsible_org, action.learning_point.title) == (
        "Ny varslingsliste",
        org("FHI"),
        "Varsling",
    )


def test_a_reader_without_a_writing_role_gets_every_row_refused(org):
    upload, get, _ = _client(make_user("leser", org("Hdir")))
    job = get(f"/exercise-import-jobs/{upload([_row('A')]).json()['id']}").json()
    assert (
        job["created"] == 0
        and job["errors"][0]["row"] == 2
        and "tilgang" in job["errors"][0]["message"]
    )
    assert not Exercise.objects.exists()


def test_a_job_is_404_for_everyone_but_the_user_who_started_it(lead, org):
    upload, _, _ = _client(lead)
    job_id = upload([_row("A")]).json()["id"]
    _, get, post = _client(make_user("ute", org("FHI"), role="reporter"))
    assert get(f"/exercise-import-jobs/{job_id}").status_code == 404
    assert get(f"/exercise-import-jobs/{job_id}/report").status_code == 404
    assert post(f"/exercise-import-jobs/{job_id}/cancel").status_code == 404
    assert get("/exercise-import-jobs").json()["count"] == 0
    assert get("/exercise-import-jobs/99999999999").status_code == 404


def test_a_queued_job_shows_its_progress_can_be_cancelled_once_and_saves_nothing(lead, settings):
    from beredskap.exercises import tasks

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }  # queued, not run
    upload, get, post = _client(lead)
    job_id = upload([_row("A")]).json()["id"]
    queued = get(f"/exercise-import-jobs/{job_id}").json()
    assert (queued["status"], queued["progress"], queued["created"]) == ("queued", 0, 0)
    assert get(f"/exercise-import-jobs/{job_id}/report").status_code == 409
    cancelled = post(f"/exercise-import-jobs/{job_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = post(f"/exercise-import-jobs/{job_id}/cancel")
    assert again.status_code == 409 and again.json()["code"] == "not_active"
    assert tasks.execute_import(job_id) == "skipped" and not Exercise.objects.exists()
