"""Access given by a crisis lasts as long as the crisis (plus a set period) and is audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beredskap.actors.models import Body
from beredskap.core import grants
from beredskap.core.models import AccessGrant, AuditEvent
from beredskap.operations import queries
from beredskap.operations.models import Crisis
from beredskap.operations.services import crises
from beredskap.operations.services import notification as notify
from tests.factories import make_user


def _notify_fhi(crisis, coordinator, org):  # type: ignore[no-untyped-def]
    from beredskap.actors.models import ContactPoint

    ContactPoint.objects.get_or_create(organisation=org("FHI"), kind="email", value="d@fhi.test")
    notify.send_notification(
        by=coordinator, crisis=crisis, title="V", text="T", organisations=[org("FHI")]
    )


def _close(crisis, coordinator):  # type: ignore[no-untyped-def]
    crisis.refresh_from_db()
    return crises.close_crisis(
        by=coordinator, crisis=crisis, expected_version=crisis.version, reason="Over"
    )


def test_a_notified_organisation_keeps_access_while_the_crisis_is_open(crisis, coordinator, org):
    fhi_user = make_user("fhi", org("FHI"), clearance=1)
    _notify_fhi(crisis, coordinator, org)
    grant = AccessGrant.objects.get(organisation=org("FHI"))
    assert grant.expires_at is None
    assert grant.origin_id == str(crisis.pk)
    assert queries.crises(fhi_user).filter(pk=crisis.pk).exists()


def test_closing_the_crisis_bounds_its_grants_by_the_configured_period(
    crisis, coordinator, org, settings
):
    settings.BEREDSKAP_CRISIS_GRANT_DAYS = 30
    fhi_user = make_user("fhi", org("FHI"), clearance=1)
    _notify_fhi(crisis, coordinator, org)
    closed = _close(crisis, coordinator)
    grant = grants.grants_on(crisis).get(organisation=org("FHI"))
    assert grant.expires_at == closed.closed_at + timedelta(days=30)
    assert queries.crises(fhi_user).filter(pk=crisis.pk).exists()  # the period still runs


def test_a_notified_organisation_loses_access_when_the_period_after_the_crisis_is_over(
    crisis, coordinator, org, settings
):
    settings.BEREDSKAP_CRISIS_GRANT_DAYS = 0
    fhi_user = make_user("fhi", org("FHI"), clearance=1)
    _notify_fhi(crisis, coordinator, org)
    _close(crisis, coordinator)
    assert not Crisis.objects.visible_to(fhi_user).filter(pk=crisis.pk).exists()
    assert Crisis.objects.visible_to(coordinator).filter(pk=crisis.pk).exists()


def test_every_grant_and_its_expiry_are_in_the_audit_trail_with_who_and_why(
    crisis, coordinator, org
):
    _notify_fhi(crisis, coordinator, org)
    grant = AccessGrant.objects.get(organisation=org("FHI"))
    made = AuditEvent.objects.get(action="grant", model="core.accessgrant")
    assert made.actor == coordinator
    assert made.object_id == str(grant.pk)
    assert made.after["organisation_id"] == org("FHI").pk
    assert made.after["record"] == f"operations.crisis:{crisis.pk}"
    assert made.after["reason"] == "Varslet i krisen"
    assert not AuditEvent.objects.filter(action="grant_expiry").exists()
    _close(crisis, coordinator)
    expiry = AuditEvent.objects.get(action="grant_expiry", object_id=str(grant.pk))
    assert expiry.actor == coordinator
    assert expiry.after["expires_at"] is not None


def test_notifying_the_same_organisation_twice_makes_one_grant(crisis, coordinator, org):
    _notify_fhi(crisis, coordinator, org)
    _notify_fhi(crisis, coordinator, org)
    assert AccessGrant.objects.filter(organisation=org("FHI")).count() == 1
    assert AuditEvent.objects.filter(action="grant").count() == 1


def test_a_revoked_grant_ends_access_and_is_audited(crisis, coordinator, org):
    fhi_user = make_user("fhi", org("FHI"), clearance=1)
    _notify_fhi(crisis, coordinator, org)
    grant = AccessGrant.objects.get(organisation=org("FHI"))
    with pytest.raises(ValidationError):
        grants.revoke_access(by=coordinator, grant=grant, reason=" ")
    grants.revoke_access(by=coordinator, grant=grant, reason="Feil mottaker")
    assert not Crisis.objects.visible_to(fhi_user).filter(pk=crisis.pk).exists()
    grant.refresh_from_db()
    assert grant.revoked_by == coordinator and grant.revoked_at is not None
    event = AuditEvent.objects.get(action="revoke", object_id=str(grant.pk))
    assert event.actor == coordinator and event.after["why"] == "Feil mottaker"


def test_sharing_with_a_body_and_taking_it_back_are_both_audited(crisis, coordinator):
    council = Body.objects.get(slug="helseberedskapsradet")
    from beredskap.core.audit import acting_as

    with acting_as(coordinator):
        crisis.shared_with_bodies.add(council)
        crisis.shared_with_bodies.remove(council)
    shared = AuditEvent.objects.get(action="share", object_id=str(crisis.pk))
    unshared = AuditEvent.objects.get(action="unshare", object_id=str(crisis.pk))
    assert shared.model == unshared.model == "operations.crisis"
    assert shared.actor == coordinator
    assert shared.after == {"bodies": [council.pk]} == unshared.after


def test_an_expired_grant_does_not_block_a_fresh_one(crisis, coordinator, org):
    fhi_user = make_user("fhi", org("FHI"), clearance=1)
    _notify_fhi(crisis, coordinator, org)
    AccessGrant.objects.update(expires_at=timezone.now() - timedelta(days=1))
    _notify_fhi(crisis, coordinator, org)
    assert queries.crises(fhi_user).filter(pk=crisis.pk).exists()
