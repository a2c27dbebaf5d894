"""Every "only one" rule is a database constraint, and the API answers a clash with 409."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from beredskap.actors.models import Body, BodyMembership
from beredskap.capacity.models import BedReport
from beredskap.exercises.models import Exercise
from tests.capacity.helpers import icu_counts, make_facility
from tests.factories import make_user, token_for


@pytest.fixture
def hospital(org):
    nlsh = org("Nordlandssykehuset HF")
    return make_user("sykehus", nlsh, role="reporter"), make_facility(nlsh, "NLSH Bodø")


def _bed_report(facility, when) -> str:
    return json.dumps(
        {
            "facility": facility.code,
            "reported_at": when.isoformat(),
            "counts": icu_counts(),
            "ventilators_total": 10,
            "ventilators_in_use": 4,
        }
    )


def test_a_second_bed_report_for_the_same_instant_is_a_409_with_a_machine_readable_code(hospital):
    reporter, facility = hospital
    body = _bed_report(facility, timezone.now() - timedelta(hours=1))
    client, headers = Client(), token_for(reporter)
    first = client.post("/api/v1/capacity/bed-reports", body, "application/json", **headers)
    second = client.post("/api/v1/capacity/bed-reports", body, "application/json", **headers)
    assert first.status_code == 201
    assert second.status_code == 409 and second.json()["code"] == "duplicate"
    assert second.json()["detail"][0]["field"] == "reported_at"
    assert BedReport.objects.count() == 1


def test_the_database_refuses_two_bed_reports_for_one_facility_and_instant(hospital):
    reporter, facility = hospital
    when = timezone.now() - timedelta(hours=1)
    fields = {
        "facility": facility,
        "owner_org_id": facility.organisation_id,
        "reported_by": reporter,
    }
    BedReport.objects.create(reported_at=when, **fields)
    BedReport.objects.create(reported_at=when - timedelta(minutes=1), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedReport.objects.create(reported_at=when, **fields)


def test_the_database_refuses_the_same_member_twice_in_a_body_but_not_two_members(org):
    body = Body.objects.get(slug="helseberedskapsradet")
    hod, hdir = org("HOD"), org("Helsedirektoratet")
    BodyMembership.objects.filter(body=body).delete()
    BodyMembership.objects.create(body=body, organisation=hod)
    BodyMembership.objects.create(body=body, organisation=hdir)
    with pytest.raises(IntegrityError), transaction.atomic():
        BodyMembership.objects.create(body=body, organisation=hod)
    assert BodyMembership.objects.filter(body=body).count() == 2


def test_the_database_refuses_a_second_evaluation_of_one_crisis_but_not_of_none(org):
    hod = org("HOD")
    day = timezone.localdate()
    fields = {"owner_org": hod, "starts_on": day, "ends_on": day}
    Exercise.objects.create(title="A", **fields)
    Exercise.objects.create(title="B", **fields)
    Exercise.objects.create(title="C", source_crisis_id=7, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Exercise.objects.create(title="D", source_crisis_id=7, **fields)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_keys_for_the_same_facility_and_instant_at_once_give_one_201_and_one_409(hospital):
    reporter, facility = hospital
    body = _bed_report(facility, timezone.now() - timedelta(hours=1))
    answers: list = []
    start = threading.Barrier(2)

    def send(key: str) -> None:
        start.wait()
        headers = token_for(reporter) | {"HTTP_IDEMPOTENCY_KEY": key}
        response = Client().post(
            "/api/v1/capacity/bed-reports", body, content_type="application/json", **headers
        )
        answers.append((response.status_code, response.json()))
        connection.close()

    threads = [threading.Thread(target=send, args=(f"key-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for code, _ in answers) == [201, 409]
    assert [body["code"] for code, body in answers if code == 409] == ["duplicate"]
    assert BedReport.objects.count() == 1
