"""The organisation directory, body pages and meetings through HTML and API."""

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from beredskap.actors.models import Body, FollowUpAction
from tests.factories import make_meeting, make_user, seat, token_for, verified_client


def test_directory_search_finds_bodo_and_not_oslo(org):
    client = verified_client(make_user("les", org("FHI")))
    page = client.get("/aktorer/organisasjoner/?q=Bodø").content.decode()
    assert "Bodø kommune" in page and "Oslo kommune" not in page


def test_directory_filters_by_type_and_pages_through_all_organisations(org):
    client = verified_client(make_user("les", org("FHI")))
    offices = client.get("/aktorer/organisasjoner/?kind=statsforvalter").content.decode()
    assert "10 organisasjoner" in offices and "Bodø kommune" not in offices
    last = client.get("/aktorer/organisasjoner/?side=17").content.decode()
    assert "Side 17 av 17" in last


def test_the_directory_page_uses_a_bounded_number_of_queries(org):
    client = verified_client(make_user("les", org("FHI")))
    with CaptureQueriesContext(connection) as ctx:
        client.get("/aktorer/organisasjoner/")
    assert len(ctx.captured_queries) <= 15


def test_the_council_page_lists_its_members_with_hod_as_chair(org):
    client = verified_client(make_user("les", org("FHI")))
    page = client.get("/aktorer/organer/helseberedskapsradet/").content.decode()
    assert "Helse- og omsorgsdepartementet" in page and "Leder" in page
    assert "Norsk helsenett SF" in page and "Bodø kommune" not in page
    assert "Legg til medlem" not in page


def test_a_national_administrator_adds_a_member_through_the_page_and_the_secretariat_cannot(
    admin_user, secretariat_user, org
):
    refused = verified_client(secretariat_user).post(
        "/aktorer/organer/helseberedskapsradet/medlemmer/",
        {"organisation": org("DSB").pk, "role": "observer", "reason": "Ønsker innsyn"},
        follow=True,
    )
    assert "Bare nasjonale administratorer" in refused.content.decode()
    assert "Direktoratet for samfunnssikkerhet og beredskap" not in refused.content.decode()
    client = verified_client(admin_user)
    client.post(
        "/aktorer/organer/helseberedskapsradet/medlemmer/",
        {"organisation": org("DSB").pk, "role": "observer", "reason": "Observatør i rådet"},
    )
    page = client.get("/aktorer/organer/helseberedskapsradet/").content.decode()
    assert "Direktoratet for samfunnssikkerhet og beredskap" in page
    again = client.post(
        "/aktorer/organer/helseberedskapsradet/medlemmer/",
        {"organisation": org("DSB").pk, "role": "observer", "reason": "Igjen"},
        follow=True,
    )
    assert "sitter allerede" in again.content.decode()


def test_the_start_page_shows_my_bodies_and_overdue_actions(org, secretariat_user):
    council = Body.objects.get(slug="helseberedskapsradet")
    member = make_user("hdirleder", org("Hdir"), role="reporter")
    meeting = make_meeting(council, title="Rådsmøte")
    FollowUpAction.objects.create(
        meeting=meeting,
        title="Lever statusnotat",
        owner_org=org("Hdir"),
        due_date=timezone.localdate() - timedelta(days=2),
    )
    FollowUpAction.objects.create(
        meeting=meeting, title="DMP sitt punkt", owner_org=org("DMP"), due_date=timezone.localdate()
    )
    page = verified_client(member).get("/").content.decode()
    assert "Helseberedskapsrådet" in page and "Lever statusnotat" in page and "Forfalt" in page
    assert f'href="/aktorer/moter/{meeting.pk}/">Lever statusnotat</a>' in page
    assert "DMP sitt punkt" not in page


def test_a_body_lead_runs_a_meeting_through_the_api(org):
    chair = make_user("leder", org("Hdir"), role="reporter")
    committee = Body.objects.get(slug="utvalg-smittevern")
    seat(chair, committee, role="chair")
    client, headers = verified_client(chair), token_for(chair)
    created = client.post(
        "/api/v1/meetings",
        json.dumps(
            {
                "body": committee.slug,
                "title": "Utvalgsmøte",
                "starts_at": "2026-12-03T09:00:00+01:00",
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    meeting_id = created.json()["id"]

    def post(path, data):
        return client.post(path, json.dumps(data), content_type="application/json", **headers)

    assert (
        post(f"/api/v1/meetings/{meeting_id}/agenda", {"title": "Vaksineberedskap"}).status_code
        == 201
    )
    assert (
        post(f"/api/v1/meetings/{meeting_id}/decisions", {"text": "FHI utreder"}).status_code == 201
    )
    action = post(
        f"/api/v1/meetings/{meeting_id}/actions",
        {"title": "Utredning", "owner_org_id": org("FHI").pk, "due_date": "2027-01-15"},
    )
    assert action.status_code == 201
    early = post(
        f"/api/v1/meetings/{meeting_id}/actions",
        {"title": "For tidlig", "owner_org_id": org("FHI").pk, "due_date": "2026-01-01"},
    )
    assert early.status_code == 400 and "før møtet" in early.json()["detail"][0]["message"]
    full = client.get(f"/api/v1/meetings/{meeting_id}/full", **headers).json()
    assert [a["title"] for a in full["agenda"]] == ["Vaksineberedskap"]
    assert [a["title"] for a in full["actions"]] == ["Utredning"]


def test_people_of_an_organisation_are_shown_only_to_those_with_need_to_know(org):
    make_user("kari", org("Bodø kommune"))
    colleague = make_user("ola", org("Bodø kommune"))
    adviser = make_user("sf", org("Statsforvalteren i Nordland"))
    outsider = make_user("ute", org("Oslo kommune"))
    bodo = org("Bodø kommune").pk

    def names(u):
        members = verified_client(u).get(f"/api/v1/organisations/{bodo}/members", **token_for(u))
        return [m["person_name"] for m in members.json()]

    assert "Kari" in names(colleague) and "Kari" in names(adviser)
    assert names(outsider) == []


def test_the_secretariat_records_an_action_from_the_meeting_page_and_a_reader_cannot(
    secretariat_user, org
):
    council = Body.objects.get(slug="helseberedskapsradet")
    meeting = make_meeting(council, title="Rådsmøte")
    client = verified_client(secretariat_user)
    data = {
        "action-title": "Kartlegg reservepersonell",
        "action-owner_org": org("Hdir").pk,
        "action-due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    client.post(f"/aktorer/moter/{meeting.pk}/action/", data)
    assert (
        "Kartlegg reservepersonell" in client.get(f"/aktorer/moter/{meeting.pk}/").content.decode()
    )
    reader = verified_client(make_user("leser2", org("FHI")))
    reader.post(f"/aktorer/moter/{meeting.pk}/action/", {**data, "action-title": "Uautorisert"})
    assert not FollowUpAction.objects.filter(title="Uautorisert").exists()
    assert (
        "Nytt oppfølgingspunkt" not in reader.get(f"/aktorer/moter/{meeting.pk}/").content.decode()
    )
