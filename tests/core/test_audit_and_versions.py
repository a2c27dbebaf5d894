"""Audit trail, optimistic concurrency and idempotency (who changed what;
a stale edit is refused, a retried request is not applied twice)."""

import json

import pytest

from beredskap.actors import services
from beredskap.actors.models import Body, Organisation
from beredskap.core.audit import acting_as
from beredskap.core.errors import StaleEdit
from beredskap.core.models import AuditEvent
from tests.factories import make_meeting, make_user, token_for, verified_client


def test_a_change_records_who_what_before_and_after(admin_user, org):
    bodo = org("Bodø kommune")
    before = bodo.short_name
    services.update_organisation(
        by=admin_user, org=bodo, expected_version=bodo.version, short_name="Bodø k."
    )
    event = AuditEvent.objects.filter(
        model="actors.organisation", object_id=str(bodo.pk), action="update"
    ).first()
    assert event.actor == admin_user
    assert event.after["short_name"] == "Bodø k."
    assert event.before["short_name"] == before


def test_the_audit_trail_cannot_be_changed_or_deleted(admin_user):
    event = AuditEvent.objects.create(action="test")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_reading_a_classified_meeting_is_recorded_but_an_open_one_is_not(org):
    council = Body.objects.get(slug="helseberedskapsradet")
    graded = make_meeting(council, classification=1, title="Gradert")
    open_meeting = make_meeting(council, title="Åpent")
    reader = make_user("hodleser", org("HOD"), clearance=1)
    client = verified_client(reader)
    for meeting in (graded, open_meeting):
        page = client.get(f"/aktorer/moter/{meeting.pk}/")
        assert page.status_code == 200 and f">{meeting.title}</h1>" in page.content.decode()
    reads = AuditEvent.objects.filter(action="read", actor=reader)
    assert set(reads.values_list("object_id", flat=True)) == {str(graded.pk)}


def test_only_auditors_see_the_audit_page_and_it_is_searchable(org, admin_user):
    services.update_organisation(
        by=admin_user,
        org=org("FHI"),
        expected_version=org("FHI").version,
        short_name="FHI-vakt",
    )
    auditor = make_user("revisor", org("Helsetilsynet"), role="auditor", auditor=True)
    outsider = make_user("nysgjerrig", org("Bodø kommune"))
    page = verified_client(auditor).get("/revisjon/?q=Folkehelseinstituttet").content.decode()
    rows = page.split("<tbody>")[1]
    assert "FHI-vakt" in rows and "Bodø kommune" not in rows
    assert verified_client(outsider).get("/revisjon/").status_code == 403


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(admin_user, org):
    first = Organisation.objects.get(short_name="FHI")
    second = Organisation.objects.get(short_name="FHI")
    services.update_organisation(
        by=admin_user, org=first, expected_version=first.version, short_name="FHI-1"
    )
    with pytest.raises(StaleEdit):
        services.update_organisation(
            by=admin_user, org=second, expected_version=second.version, short_name="FHI-2"
        )
    assert Organisation.objects.get(pk=first.pk).short_name == "FHI-1"


def test_the_api_answers_409_on_a_stale_version(admin_user, org):
    fhi = org("FHI")
    client, headers = verified_client(admin_user), token_for(admin_user)
    ok = client.patch(
        f"/api/v1/organisations/{fhi.pk}",
        json.dumps({"version": fhi.version, "short_name": "F1"}),
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 200 and ok.json()["version"] == fhi.version + 1
    stale = client.patch(
        f"/api/v1/organisations/{fhi.pk}",
        json.dumps({"version": fhi.version, "short_name": "F2"}),
        content_type="application/json",
        **headers,
    )
    assert stale.status_code == 409
    assert (
        stale.json()["code"] == "stale_version"
        and stale.json()["current_version"] == fhi.version + 1
    )


def test_the_html_form_tells_the_second_editor(org):
    reporter = make_user("rapportor", org("Bodø kommune"), role="reporter")
    bodo = org("Bodø kommune")
    client = verified_client(reporter)
    data = {
        "version": bodo.version,
        "short_name": "Bodø",
    }
    assert client.post(f"/aktorer/organisasjoner/{bodo.pk}/endre/", data).status_code == 302
    again = client.post(
        f"/aktorer/organisasjoner/{bodo.pk}/endre/", {**data, "short_name": "Bodø k."}
    )
    assert again.status_code == 409
    assert "endret av noen andre" in again.content.decode()
    assert Organisation.objects.get(pk=bodo.pk).short_name == "Bodø"


def test_an_idempotency_key_makes_a_retry_return_the_same_meeting(secretariat_user):
    client, headers = verified_client(secretariat_user), token_for(secretariat_user)
    body = {
        "body": "helseberedskapsradet",
        "title": "Ekstraordinært møte",
        "starts_at": "2026-12-01T10:00:00+01:00",
    }
    first = client.post(
        "/api/v1/meetings",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc-1",
        **headers,
    )
    retry = client.post(
        "/api/v1/meetings",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc-1",
        **headers,
    )
    assert first.status_code == retry.status_code == 201
    assert first.json()["id"] == retry.json()["id"]
    assert retry["Idempotent-Replayed"] == "true"
    other = client.post(
        "/api/v1/meetings",
        json.dumps({**body, "title": "Annet"}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc-1",
        **headers,
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_mismatch"


def test_changes_made_by_a_service_are_attributed_even_outside_a_request(admin_user):
    body = Body.objects.get(slug="helseberedskapsradet")
    with acting_as(admin_user):
        body.short_name = "Rådet"
        body.save()
    event = AuditEvent.objects.filter(model="actors.body", object_id=str(body.pk)).first()
    assert event.actor == admin_user and event.after["short_name"] == "Rådet"
