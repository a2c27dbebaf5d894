"""Erasure that erases (GDPR art. 17): a reserve person who withdraws her consent is found
nowhere in the database afterwards — not in the register, the audit trail's content or stored
API answers — while the crisis keeps the fact of her deployment without her identity."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from beredskap.capacity.models import ReserveVolunteer
from beredskap.capacity.services import personnel
from beredskap.core.models import AuditEvent
from beredskap.operations.models import Deployment
from beredskap.operations.services import resources
from tests.factories import make_user, token_for
from tests.operations.test_reserve_allocation import accepts, ask

HPR, PHONE = "9876543", "+4790011223"


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "--natural-foreign", stdout=out)
    return out.getvalue()


@pytest.fixture
def deployed_nurse(crisis, coordinator, org, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Hilde registers through the API (an idempotent request, so its answer is stored),
    changes her phone, is asked, accepts and is deployed."""
    user = make_user("hilde")
    body = {
        "consent": True,
        "profession": "icu_nurse",
        "hpr_number": HPR,
        "health_region": "H05",
        "phone": "+4790000000",
    }
    answer = Client().post(
        "/api/v1/capacity/reserve/me",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="register-hilde",
        **token_for(user),
    )
    assert answer.status_code == 201, answer.content
    hilde = ReserveVolunteer.objects.get(user=user)
    personnel.update_volunteer(
        by=user, volunteer=hilde, expected_version=hilde.version, phone=PHONE
    )
    ask(coordinator, crisis, org, quantity=1)
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    with django_capture_on_commit_callbacks(execute=True):
        resources.approve_proposal(
            by=coordinator, proposal=proposal, expected_version=proposal.version
        )
        accepts(ReserveVolunteer.objects.get(user=user))
    assert Deployment.objects.count() == 1
    return user


@pytest.mark.django_db
def test_a_withdrawn_reservists_hpr_number_is_found_nowhere_in_the_database(deployed_nurse):
    assert HPR in _dump() and PHONE in _dump()  # before: in the register, the trail, the answer
    events_before = AuditEvent.objects.count()
    assert personnel.withdraw_consent(by=deployed_nurse)
    dump = _dump()
    assert HPR not in dump and PHONE not in dump
    # the audit trail keeps every fact (one more: the erasure itself), without the content
    assert AuditEvent.objects.count() == events_before + 2  # the deletion and the erasure
    erased = AuditEvent.objects.get(action="personal_data_erased")
    assert erased.after["events_redacted"] >= 3 and erased.actor == deployed_nurse
    assert AuditEvent.objects.filter(model="capacity.reservevolunteer", action="create").exists()


@pytest.mark.django_db
def test_her_deployment_is_kept_without_her_identity(deployed_nurse):
    personnel.withdraw_consent(by=deployed_nurse)
    deployment = Deployment.objects.select_related("line").get()
    assert deployment.line.reserve_id is None
    assert deployment.line.reserve_label.startswith("Intensivsykepleier #")
    assert "Hilde" not in deployment.line.reserve_label
