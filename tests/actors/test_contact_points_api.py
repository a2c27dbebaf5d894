"""Contact points through the API: an organisation's administrator adds and removes them (the
value normalised); another organisation's administrator cannot; the same point twice is 409."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from beredskap.actors.models import ContactPoint
from tests.factories import make_user, token_for

pytestmark = pytest.mark.django_db


def _post(user, org, body):  # type: ignore[no-untyped-def]
    return Client().post(
        f"/api/v1/organisations/{org.pk}/contact-points",
        json.dumps(body),
        content_type="application/json",
        **token_for(user),
    )


def test_the_administrator_adds_and_removes_a_contact_point(org):
    bodo = org("Bodø kommune")
    admin = make_user("bodoadmin", bodo, role="administrator")
    answer = _post(admin, bodo, {"kind": "duty_phone", "value": "75 55 50 00"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["value"] == "+4775555000"
    again = _post(admin, bodo, {"kind": "duty_phone", "value": "+47 75555000"})
    assert again.status_code in (400, 409)
    point = ContactPoint.objects.get(organisation=bodo)
    gone = Client().delete(
        f"/api/v1/organisations/{bodo.pk}/contact-points/{point.pk}", **token_for(admin)
    )
    assert gone.status_code == 204 and not ContactPoint.objects.exists()


def test_another_organisations_administrator_cannot_add_one(org):
    narvik_admin = make_user("narvikadmin", org("Narvik kommune"), role="administrator")
    answer = _post(narvik_admin, org("Bodø kommune"), {"kind": "email", "value": "post@bodo.no"})
    assert answer.status_code in (403, 404)
    assert not ContactPoint.objects.exists()


def test_a_landline_is_refused_as_an_sms_number(org):
    bodo = org("Bodø kommune")
    admin = make_user("bodoadmin", bodo, role="administrator")
    answer = _post(admin, bodo, {"kind": "sms", "value": "75 55 50 00"})
    assert answer.status_code in (400, 422)
    assert "mobilnummer" in answer.content.decode()
