"""An organisation's administrator administers her own organisation only; the governance line,
body memberships and clearances are national (the secretariat's administrators), with a reason."""

import json

import pytest
from django.core.exceptions import ValidationError

from beredskap.actors import services
from beredskap.actors.models import Body, BodyMembership, Organisation
from beredskap.actors.permissions import is_national_administrator
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import AuditEvent
from tests.factories import make_meeting, make_user, token_for, verified_client


@pytest.fixture
def bodo_admin(org):  # type: ignore[no-untyped-def]
    return make_user("bodoadmin", org("Bodø kommune"), role="administrator")


def _api(user, method, url, payload):  # type: ignore[no-untyped-def]
    client = verified_client(user)
    call = getattr(client, method)
    return call(url, json.dumps(payload), content_type="application/json", **token_for(user))


def test_only_the_secretariats_administrators_are_national(
    admin_user, secretariat_user, bodo_admin
):
    assert is_national_administrator(admin_user)
    assert not is_national_administrator(bodo_admin)
    assert not is_national_administrator(secretariat_user)


def test_a_municipal_administrator_cannot_move_the_ministry_under_her_municipality(bodo_admin, org):
    hod, bodo = org("HOD"), org("Bodø kommune")
    colleague = make_user("kollega", bodo, clearance=2)
    body = Body.objects.get(slug="helseberedskapsradet")
    secret = make_meeting(body, owner=hod, classification=2, title="HOD-hemmelig")
    response = _api(
        bodo_admin,
        "patch",
        f"/api/v1/organisations/{hod.pk}",
        {"version": hod.version, "parent_id": bodo.pk, "reason": "Fordi"},
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=hod.pk).parent is None
    with pytest.raises(PermissionDenied):
        services.update_organisation(
            by=bodo_admin, org=bodo, expected_version=bodo.version, parent=None, kind="ministry"
        )
    from beredskap.actors.models import Meeting

    assert not Meeting.objects.visible_to(colleague).filter(pk=secret.pk).exists()


def test_a_municipal_administrator_cannot_seat_her_municipality_in_a_committee(bodo_admin, org):
    committee = Body.objects.get(slug="utvalg-smittevern")
    response = _api(
        bodo_admin,
        "post",
        f"/api/v1/bodies/{committee.slug}/members",
        {"organisation_id": org("Bodø kommune").pk, "reason": "Vil se"},
    )
    assert response.status_code == 403
    assert not BodyMembership.objects.filter(body=committee, organisation=org("Bodø kommune"))
    with pytest.raises(PermissionDenied):
        services.add_body_member(
            by=bodo_admin, body=committee, organisation=org("Bodø kommune"), role="member"
        )


def test_a_municipal_administrator_edits_her_own_organisation_but_not_others(bodo_admin, org):
    bodo, narvik = org("Bodø kommune"), org("Narvik kommune")
    services.update_organisation(
        by=bodo_admin, org=bodo, expected_version=bodo.version, short_name="Bodø k."
    )
    assert Organisation.objects.get(pk=bodo.pk).short_name == "Bodø k."
    with pytest.raises(PermissionDenied):
        services.update_organisation(
            by=bodo_admin, org=narvik, expected_version=narvik.version, short_name="N"
        )
    with pytest.raises(PermissionDenied):
        services.create_organisation(by=bodo_admin, name="Bodø Vann KF", kind="business")


def test_the_governance_line_changes_only_with_a_reason_and_the_reason_is_audited(admin_user, org):
    hdir, fhi = org("Hdir"), org("FHI")
    with pytest.raises(ValidationError):
        services.update_organisation(
            by=admin_user, org=fhi, expected_version=fhi.version, parent=hdir
        )
    assert Organisation.objects.get(pk=fhi.pk).parent_id != hdir.pk
    services.update_organisation(
        by=admin_user, org=fhi, expected_version=fhi.version, parent=hdir, reason="Omorganisering"
    )
    event = AuditEvent.objects.get(action="governance_change")
    assert event.actor == admin_user
    assert event.after["reason"] == "Omorganisering"
    assert event.after["changes"] == {"parent": hdir.pk}


def test_a_national_administrator_seats_a_member_with_an_audited_reason(admin_user, org):
    committee = Body.objects.get(slug="utvalg-smittevern")
    response = _api(
        admin_user,
        "post",
        f"/api/v1/bodies/{committee.slug}/members",
        {"organisation_id": org("Bodø kommune").pk, "reason": "Vertskommune for øvelsen"},
    )
    assert response.status_code == 201
    membership = BodyMembership.objects.get(body=committee, organisation=org("Bodø kommune"))
    event = AuditEvent.objects.get(action="body_member_add")
    assert event.actor == admin_user and event.after["reason"] == "Vertskommune for øvelsen"
    with pytest.raises(ValidationError):
        services.remove_body_member(by=admin_user, membership=membership, reason="")
    services.remove_body_member(by=admin_user, membership=membership, reason="Øvelsen er over")
    assert AuditEvent.objects.get(action="body_member_remove").after["reason"] == "Øvelsen er over"


def test_the_api_refuses_a_body_member_without_a_reason(admin_user, org):
    committee = Body.objects.get(slug="utvalg-smittevern")
    response = _api(
        admin_user,
        "post",
        f"/api/v1/bodies/{committee.slug}/members",
        {"organisation_id": org("Bodø kommune").pk},
    )
    assert response.status_code in (400, 422)
    assert not BodyMembership.objects.filter(body=committee, organisation=org("Bodø kommune"))


def test_a_municipal_administrator_is_no_exercise_or_commitment_administrator(
    bodo_admin, admin_user
):
    from beredskap.commitments import permissions as commitments
    from beredskap.exercises import permissions as exercises

    assert not exercises.allowed(bodo_admin, "manage_plan")
    assert exercises.allowed(admin_user, "manage_plan")
    assert not commitments.allowed(bodo_admin, "edit_commitment")
    assert commitments.allowed(admin_user, "edit_commitment")


def test_the_body_page_offers_adding_members_only_to_national_administrators(
    admin_user, secretariat_user
):
    url = "/aktorer/organer/utvalg-smittevern/"
    assert b'name="reason"' in verified_client(admin_user).get(url).content
    page = verified_client(secretariat_user).get(url).content
    assert b"/medlemmer/" not in page and b"Legg til medlem" not in page
