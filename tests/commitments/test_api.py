"""The commitments API: list with filters, progress with notes, evidence, reports."""

import io
import json

from docx import Document

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


def test_every_commitment_is_listed_and_filtered(commitments, org):
    api = _api(make_user("les", org("FHI")))
    assert api("get", "/commitments?limit=100").json()["count"] == 114
    water = api("get", "/commitments?risk_area=water&source=white_paper").json()
    assert water["count"] == 3 and all(c["section"] == "4.5" for c in water["items"])
    assert api("get", "/commitments?chapter=tull").status_code == 422


def test_progress_needs_a_note_for_a_status_change_and_evidence_links_an_exercise(
    commitments, secretariat_user, org
):
    api = _api(secretariat_user)
    target = commitments.get(key="white_paper-16")
    refused = api("post", f"/commitments/{target.pk}/progress", {"status": "in_progress"})
    assert refused.status_code == 400
    ok = api(
        "post",
        f"/commitments/{target.pk}/progress",
        {"status": "in_progress", "text": "Arbeidsgruppe i gang"},
    )
    assert (
        ok.status_code == 201
        and ok.json()["status"] == "in_progress"
        and len(ok.json()["notes"]) == 1
    )
    exercise = make_exercise(secretariat_user, org("HOD"), title="Sivil-militær øvelse")
    linked = api(
        "post",
        f"/commitments/{target.pk}/evidence",
        {"target": "exercises.exercise", "target_id": exercise.pk},
    )
    assert (
        linked.status_code == 201
        and linked.json()["evidence"][0]["label"] == "Sivil-militær øvelse"
    )
    assert (
        api(
            "post", f"/commitments/{target.pk}/evidence", {"target": "core.user", "target_id": 1}
        ).status_code
        == 400
    )
    assert (
        api(
            "post", f"/commitments/{target.pk}/evidence", {"target": "nope.nope", "target_id": 1}
        ).status_code
        == 400
    )


def test_the_secretariat_generates_a_report_and_downloads_an_editable_docx(
    commitments, secretariat_user, org
):
    api = _api(secretariat_user)
    created = api("post", "/status-reports", {"kind": "storting"})
    assert created.status_code == 201
    response = api("get", f"/status-reports/{created.json()['id']}/file?format=docx")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    document = Document(io.BytesIO(response.content))
    by_chapter = next(t for t in document.tables if t.rows[0].cells[0].text == "Kapittel")
    assert by_chapter.rows[-1].cells[-1].text == "114"
    assert api("get", f"/status-reports/{created.json()['id']}/file?format=exe").status_code == 422
    reader = _api(make_user("les", org("FHI")))
    assert reader("post", "/status-reports", {"kind": "storting"}).status_code == 403
