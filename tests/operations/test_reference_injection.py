"""Every id in an input is resolved through what the user may see: an invisible id and an unknown
id get the same answer, and nothing is written."""

import json

import pytest

from beredskap.core.errors import PermissionDenied
from beredskap.exercises.models import Exercise
from beredskap.operations.models import Crisis
from beredskap.operations.services import crises
from tests.factories import make_user, token_for, verified_client


def _post(user, url, payload):  # type: ignore[no-untyped-def]
    return verified_client(user).post(
        url, json.dumps(payload), content_type="application/json", **token_for(user)
    )


def _incident(crisis_id, owner):  # type: ignore[no-untyped-def]
    return {
        "title": "Hendelse",
        "owner_org_id": owner.pk,
        "occurred_on": "2024-01-10",
        "source_crisis_id": crisis_id,
    }


def test_an_incident_cannot_point_at_a_crisis_the_user_cannot_see(crisis, coordinator, org):
    bodo = org("Bodø kommune")
    intruder = make_user("inntrenger", bodo, role="reporter")
    assert not Crisis.objects.visible_to(intruder).filter(pk=crisis.pk).exists()
    hidden = _post(intruder, "/api/v1/incidents", _incident(crisis.pk, bodo))
    unknown = _post(intruder, "/api/v1/incidents", _incident(crisis.pk + 10_000, bodo))
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json() == unknown.json()
    assert not Exercise.objects.filter(source_crisis_id=crisis.pk).exists()
    assert not Exercise.objects.filter(source_crisis_id=crisis.pk + 10_000).exists()
    crisis.refresh_from_db()
    closed = crises.close_crisis(
        by=coordinator, crisis=crisis, expected_version=crisis.version, reason="Over"
    )
    assert closed.evaluation_ref  # the owner is not blocked from evaluating her own crisis


def test_an_incident_of_a_visible_crisis_is_opened_only_by_its_coordinators(crisis, org):
    from beredskap.operations.services import notification as notify

    fhi_user = make_user("fhi", org("FHI"), role="reporter", clearance=1)
    fhi_user.person.email = "fhi@fhi.test"
    fhi_user.person.save()
    notify.send_notification(
        by=make_user("k2", org("HOD"), role="secretariat", clearance=1),
        crisis=crisis,
        title="V",
        text="T",
        organisations=[org("FHI")],
    )
    assert Crisis.objects.visible_to(fhi_user).filter(pk=crisis.pk).exists()
    response = _post(fhi_user, "/api/v1/incidents", _incident(crisis.pk, org("FHI")))
    assert response.status_code == 403
    assert not Exercise.objects.filter(source_crisis_id=crisis.pk).exists()


def test_a_crisis_cannot_be_declared_in_the_name_of_another_organisation(org):
    oslo_admin = make_user("osloadm", org("Oslo kommune"), role="administrator")
    with pytest.raises(PermissionDenied):
        crises.declare_crisis(
            by=oslo_admin,
            name="Falsk krise",
            risk_area="infection",
            crisis_type="Pandemi",
            owner_org=org("HOD"),
            lead_ministry=org("HOD"),
        )
    assert not Crisis.objects.filter(name="Falsk krise").exists()
