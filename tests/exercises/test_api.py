"""The exercises API: runs an exercise through evaluation, refuses bad input with 4xx."""

import io
import json
from datetime import timedelta

from django.utils import timezone
from openpyxl import Workbook

from beredskap.exercises.models import Action, Exercise
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


def test_a_lead_runs_an_exercise_to_closing_through_the_api(org):
    lead = make_user("leder", org("Hdir"), role="reporter")
    api = _api(lead)
    start = (timezone.localdate() - timedelta(days=30)).isoformat()
    created = api(
        "post",
        "/exercises",
        {
            "owner_org_id": org("Hdir").pk,
            "title": "Ransomware-øvelse",
            "exercise_type": "tabletop",
            "starts_on": start,
            "risk_area": "digital_security",
        },
    )
    assert created.status_code == 201, created.content
    ex = created.json()["id"]
    assert api("post", f"/exercises/{ex}/status", {"to_status": "prepared"}).status_code == 400
    assert (
        api("post", f"/exercises/{ex}/objectives", {"text": "Etablere IKT-krisestab"}).status_code
        == 201
    )
    assert (
        api(
            "post", f"/exercises/{ex}/participants", {"kind": "business", "name": "Sykehuspartner"}
        ).status_code
        == 201
    )
    assert (
        api(
            "post", f"/exercises/{ex}/control", {"role": "evaluator", "person_name": "Eva"}
        ).status_code
        == 201
    )
    for status in ("prepared", "conducted"):
        moved = api("post", f"/exercises/{ex}/status", {"to_status": status})
        assert moved.status_code == 200 and moved.json()["status"] == status
    assert api("post", f"/exercises/{ex}/evaluation", {}).status_code == 201
    assert (
        api(
            "post",
            f"/exercises/{ex}/evaluation/observations",
            {"kind": "improvement", "text": "Reserveløsning manglet", "rating": "M"},
        ).status_code
        == 201
    )
    point = api(
        "post", f"/exercises/{ex}/evaluation/learning-points", {"title": "Reserveløsninger"}
    ).json()["id"]
    no_org = api(
        "post", f"/learning-points/{point}/actions", {"title": "Anskaff", "due_date": start}
    )
    assert no_org.status_code == 400 and "ansvarlig organisasjon" in json.dumps(
        no_org.json(), ensure_ascii=False
    )
    action = api(
        "post",
        f"/learning-points/{point}/actions",
        {
            "title": "Anskaff reserveløsning",
            "responsible_org_id": org("Hdir").pk,
            "due_date": start,
        },
    )
    assert action.status_code == 201
    closing = api("post", f"/exercises/{ex}/evaluation/close", {})
    assert closing.status_code == 409 and closing.json()["code"] == "open_actions"
    action_id = action.json()["id"]
    stale = api(
        "patch", f"/exercise-actions/{action_id}", {"version": 9, "evidence": "x", "status": "done"}
    )
    assert stale.status_code == 409
    assert (
        api(
            "post",
            f"/exercise-actions/{action_id}/accept-not-done",
            {"reason": "Erstattet av nasjonal løsning"},
        ).status_code
        == 200
    )
    closed = api("post", f"/exercises/{ex}/evaluation/close", {})
    assert closed.status_code == 200 and "open_actions" not in closed.content.decode()
    assert api("get", f"/exercises/{ex}").json()["status"] == "closed"
    follow = api("get", "/exercise-follow-up").json()
    assert follow["total"] == 0 and len(follow["trend"]) == 12


def test_restricted_exercises_are_404_for_outsiders_and_ids_out_of_range_are_404(org):
    owner = make_user("eier", org("Hdir"), role="reporter", clearance=1)
    secret = make_exercise(owner, org("Hdir"), title="Gradert", classification=1)
    outsider = _api(make_user("ute", org("FHI")))
    assert outsider("get", f"/exercises/{secret.pk}").status_code == 404
    assert outsider("get", "/exercises/99999999999999999999").status_code in (404, 422)
    assert [e["title"] for e in outsider("get", "/exercises").json()["items"]] == []
    assert _api(owner)("get", "/exercises").json()["count"] == 1


def test_bad_input_gets_4xx_never_5xx(org):
    api = _api(make_user("leder", org("Hdir"), role="reporter"))
    bad = [
        {
            "owner_org_id": org("Hdir").pk,
            "title": "X\u0000Y",
            "exercise_type": "drill",
            "starts_on": "2026-01-01",
        },
        {
            "owner_org_id": org("Hdir").pk,
            "title": "OK tittel",
            "exercise_type": "war",
            "starts_on": "2026-01-01",
        },
        {
            "owner_org_id": org("Hdir").pk,
            "title": "OK tittel",
            "exercise_type": "drill",
            "starts_on": "2026-01-05",
            "ends_on": "2026-01-01",
        },
        {
            "owner_org_id": org("Hdir").pk,
            "title": "OK tittel",
            "exercise_type": "drill",
            "starts_on": "2026-01-01",
            "classification": "HEMMELIG",
        },
    ]
    codes = [api("post", "/exercises", body).status_code for body in bad]
    assert (
        codes == [400, 422, 400, 422] and not Exercise.objects.exists()
    )  # NUL: refused by the middleware
    assert api("get", "/exercises?q=%00").status_code == 400


def _xlsx(header, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "import.xlsx"
    return buffer


def test_the_exercise_import_is_all_or_nothing_with_row_level_errors(org):
    lead = make_user("leder", org("Hdir"), role="reporter")
    client, headers = verified_client(lead), token_for(lead)
    header = [
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
    rows = [
        [
            "Intensivøvelse",
            "full_scale",
            "2026-10-01",
            "2026-10-02",
            "Hdir",
            "infection",
            "Øke kapasitet",
            "Oslo",
            "FHI; Røde Kors",
            "UGRADERT",
        ],
        ["Uten eier", "tabletop", "2026-11-01", None, "Finnes ikke AS", "", "", "", "", ""],
        ["Feil dato", "Seminar", "31.02.2026", None, "Hdir", "", "", "", "", ""],
        ["For hemmelig", "drill", "2026-12-01", None, "Hdir", "", "", "", "", "HEMMELIG"],
    ]
    response = client.post(
        "/api/v1/exercise-imports/exercises", {"file": _xlsx(header, rows)}, **headers
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [
        (3, "Eier"),
        (4, "Startdato"),
        (5, "Gradering"),
    ]
    assert not Exercise.objects.exists()
    ok = client.post(
        "/api/v1/exercise-imports/exercises", {"file": _xlsx(header, rows[:1])}, **headers
    )
    assert ok.status_code == 200 and ok.json()["created"] == 1
    exercise = Exercise.objects.get()
    assert sorted(str(p) for p in exercise.participants.all()) == [
        "Folkehelseinstituttet",
        "Røde Kors",
    ]
    junk = client.post(
        "/api/v1/exercise-imports/exercises", {"file": io.BytesIO(b"not a workbook")}, **headers
    )
    assert junk.status_code == 400


def test_the_action_import_refuses_a_due_date_before_the_exercise(org):
    from tests.exercises.builders import conducted_with_evaluation

    lead = make_user("leder", org("Hdir"), role="reporter")
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    ex = evaluation.exercise
    header = ["Øvelse-ID", "Læringspunkt", "Tiltak", "Ansvarlig", "Kontaktperson", "Frist"]
    early = (ex.starts_on - timedelta(days=1)).isoformat()
    rows = [
        [ex.pk, "Varsling", "Ny liste", "FHI", "Kari", ex.starts_on.isoformat()],
        [ex.pk, "Varsling", "Gammel frist", "FHI", "Kari", early],
    ]
    client, headers = verified_client(lead), token_for(lead)
    response = client.post(
        "/api/v1/exercise-imports/actions", {"file": _xlsx(header, rows)}, **headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["row"] == 3
    assert not Action.objects.exists() and not evaluation.learning_points.exists()
    response = client.post(
        "/api/v1/exercise-imports/actions", {"file": _xlsx(header, rows[:1])}, **headers
    )
    assert response.status_code == 200 and Action.objects.get().responsible_org.short_name == "FHI"


def test_exercises_and_learning_points_link_to_records_of_other_apps_the_user_can_see(
    org, secretariat_user
):
    from beredskap.actors.models import Body
    from tests.exercises.builders import conducted_with_evaluation
    from tests.factories import make_meeting

    evaluation = conducted_with_evaluation(secretariat_user, org("HOD"))
    point = evaluation.learning_points.create(title="Endrer planen", owner_org=org("HOD"))
    council = Body.objects.get(slug="helseberedskapsradet")
    meeting = make_meeting(council, title="Rådsmøte om øvelsen")
    hidden = make_meeting(council, title="Gradert rådsmøte", classification=2, owner=org("DSA"))
    api = _api(secretariat_user)
    ex = evaluation.exercise_id
    linked = api(
        "post",
        f"/exercises/{ex}/links",
        {"target": "actors.meeting", "target_id": meeting.pk, "relation": "decision"},
    )
    assert linked.status_code == 201 and linked.json()[0]["label"] == "Rådsmøte om øvelsen"
    assert (
        api(
            "post",
            f"/exercises/{ex}/links",
            {"target": "actors.meeting", "target_id": hidden.pk, "relation": "decision"},
        ).status_code
        == 404
    )
    assert (
        api(
            "post",
            f"/exercises/{ex}/links",
            {"target": "actors.organisation", "target_id": org("HOD").pk, "relation": "decision"},
        ).status_code
        == 400
    )
    assert (
        api(
            "post",
            f"/exercises/{ex}/links",
            {"target": "actors.meeting", "target_id": meeting.pk, "relation": "whatever"},
        ).status_code
        == 400
    )
    assert (
        api(
            "post",
            f"/learning-points/{point.pk}/links",
            {"target": "planning.plan", "target_id": 999, "relation": "changes_plan"},
        ).status_code
        == 404
    )
    outsider = _api(make_user("ute", org("FHI")))
    assert [x["label"] for x in outsider("get", f"/exercises/{ex}/links").json()] == [
        "Rådsmøte om øvelsen"
    ]


def test_the_exercise_list_uses_a_bounded_number_of_queries(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lead = make_user("leder", org("Hdir"), role="reporter")
    for i in range(15):
        make_exercise(lead, org("Hdir"), title=f"Øvelse {i}")
    client = verified_client(lead)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/ovelser/")
    assert len(ctx.captured_queries) <= 20
