"""Bad input is refused with a reason and nothing is half-written."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from beredskap.actors import services
from beredskap.actors.models import Body, BodyMembership, BodyState, Meeting, Organisation
from beredskap.core.errors import PermissionDenied
from tests.factories import make_user, token_for, verified_client


def test_a_cyclic_governance_line_is_refused(admin_user, org):
    hod, hdir = org("HOD"), org("Hdir")
    with pytest.raises(ValidationError, match="ring"):
        services.update_organisation(
            by=admin_user, org=hod, expected_version=hod.version, parent=hdir
        )
    assert Organisation.objects.get(pk=hod.pk).parent is None


def test_a_duplicate_organisation_number_is_refused(admin_user, org):
    unn = org("Universitetssykehuset Nord-Norge HF")
    with pytest.raises(ValidationError, match="allerede registrert"):
        services.create_organisation(
            by=admin_user, name="Ny virksomhet", kind="business", org_number=unn.org_number
        )
    assert not Organisation.objects.filter(name="Ny virksomhet").exists()


def test_the_same_member_cannot_be_added_twice(admin_user, org):
    council = Body.objects.get(slug="helseberedskapsradet")
    before = council.memberships.count()
    with pytest.raises(ValidationError, match="allerede"):
        services.add_body_member(
            by=admin_user, body=council, organisation=org("FHI"), role="member"
        )
    assert council.memberships.count() == before


def test_only_the_secretariat_or_the_body_lead_manages_a_body(org):
    outsider = make_user("utenfor", org("Bodø kommune"), role="reporter")
    council = Body.objects.get(slug="helseberedskapsradet")
    with pytest.raises(PermissionDenied):
        services.add_body_member(
            by=outsider, body=council, organisation=org("Forsvaret"), role="observer"
        )
    assert not BodyMembership.objects.filter(body=council, organisation=org("Forsvaret")).exists()


def test_activating_the_expert_group_records_when_and_why(secretariat_user):
    group = Body.objects.get(slug="ekspertutvalg-helsekriser")
    services.set_body_state(
        by=secretariat_user, body=group, state=BodyState.ACTIVATED, reason="Pandemi"
    )
    group.refresh_from_db()
    assert group.state == "activated" and group.state_since == timezone.localdate()
    assert group.state_changes.get().reason == "Pandemi"
    with pytest.raises(ValidationError):
        services.set_body_state(by=secretariat_user, body=group, state="dormant", reason=" ")


@override_settings(BEREDSKAP_MAX_CLASSIFICATION="BEGRENSET")
def test_a_classification_above_the_installation_maximum_is_refused(secretariat_user):
    council = Body.objects.get(slug="helseberedskapsradet")
    with pytest.raises(ValidationError, match="høyere enn installasjonen"):
        services.create_meeting(
            by=secretariat_user,
            body=council,
            title="For høyt",
            starts_at=timezone.now(),
            classification=2,
        )
    assert not Meeting.objects.filter(title="For høyt").exists()


def test_the_api_refuses_hemmelig_with_a_reason(secretariat_user):
    client = verified_client(secretariat_user)
    payload = {
        "body": "helseberedskapsradet",
        "title": "Hemmelig",
        "starts_at": "2026-12-01T10:00:00Z",
        "classification": "HEMMELIG",
    }
    response = client.post(
        "/api/v1/meetings",
        json.dumps(payload),
        content_type="application/json",
        **token_for(secretariat_user),
    )
    assert response.status_code == 422
    assert "HEMMELIG" in json.dumps(response.json(), ensure_ascii=False)
    assert not Meeting.objects.filter(title="Hemmelig").exists()


def test_exempt_from_public_access_needs_a_legal_basis(secretariat_user):
    council = Body.objects.get(slug="helseberedskapsradet")
    with pytest.raises(ValidationError, match="hjemmel"):
        services.create_meeting(
            by=secretariat_user,
            body=council,
            title="Unntatt",
            starts_at=timezone.now(),
            exempt_public=True,
        )


def test_a_follow_up_action_cannot_be_due_before_the_meeting(secretariat_user, org):
    council = Body.objects.get(slug="helseberedskapsradet")
    meeting = services.create_meeting(
        by=secretariat_user, body=council, title="M", starts_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="før møtet"):
        services.add_follow_up_action(
            by=secretariat_user,
            meeting=meeting,
            title="A",
            owner_org=org("FHI"),
            due_date=timezone.localdate() - timedelta(days=1),
        )


def test_the_api_refuses_an_unknown_parent_and_a_bad_org_number(admin_user):
    client, headers = verified_client(admin_user), token_for(admin_user)
    bad_parent = client.post(
        "/api/v1/organisations",
        json.dumps({"name": "X AS", "kind": "business", "parent_id": 999999}),
        content_type="application/json",
        **headers,
    )
    assert bad_parent.status_code == 400 and bad_parent.json()["detail"][0]["field"] == "parent_id"
    bad_number = client.post(
        "/api/v1/organisations",
        json.dumps({"name": "Y AS", "kind": "business", "org_number": "12"}),
        content_type="application/json",
        **headers,
    )
    assert bad_number.status_code == 422
    assert not Organisation.objects.filter(name__in=["X AS", "Y AS"]).exists()


def test_an_unknown_municipality_number_is_answered_with_404(admin_user):
    client = verified_client(admin_user)
    headers = token_for(admin_user)
    assert client.get("/api/v1/municipalities/1804", **headers).json()["name"] == "Bodø"
    missing = client.get("/api/v1/municipalities/9999", **headers)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
