"""Idempotency-Key: a retry replays the first answer, also for uploads and overlapping retries."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from beredskap.capacity.models import BedReport
from beredskap.core.models import IdempotencyRecord
from tests.capacity.helpers import icu_counts, make_facility
from tests.factories import make_user, token_for

HEADER = "enhet;tidspunkt;kategori;bemannet;belagt;ledig;okning_24t;okning_72t;forsterket_drift\n"


@pytest.fixture
def hospital(org):
    nlsh = org("Nordlandssykehuset HF")
    return make_user("sykehus", nlsh, role="reporter"), make_facility(nlsh, "NLSH Bodø")


def _table() -> SimpleUploadedFile:
    when = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    line = f"nlsh-bodo;{when};icu_vent;10;7;3;2;4;nei\n"
    return SimpleUploadedFile("r.csv", (HEADER + line).encode(), content_type="text/csv")


def _bed_report(facility) -> str:
    return json.dumps(
        {
            "facility": facility.code,
            "reported_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "counts": icu_counts(),
            "ventilators_total": 10,
            "ventilators_in_use": 4,
        }
    )


def test_a_table_import_with_an_idempotency_key_is_stored_once_and_replayed(hospital):
    reporter, _facility = hospital
    client, headers = Client(), token_for(reporter) | {"HTTP_IDEMPOTENCY_KEY": "imp-1"}
    path = "/api/v1/capacity/bed-reports/import"
    first = client.post(path, {"file": _table()}, **headers)
    again = client.post(path, {"file": _table()}, **headers)
    assert first.status_code == 201 and first.json() == {"created": 1}
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and BedReport.objects.count() == 1


def test_a_refused_write_keeps_no_key_so_the_corrected_retry_is_taken(hospital):
    reporter, facility = hospital
    client, headers = Client(), token_for(reporter) | {"HTTP_IDEMPOTENCY_KEY": "k-bad"}
    path = "/api/v1/capacity/bed-reports"
    bad = json.loads(_bed_report(facility)) | {"counts": icu_counts(occupied=20)}
    refused = client.post(path, json.dumps(bad), content_type="application/json", **headers)
    assert refused.status_code == 400 and not IdempotencyRecord.objects.exists()
    taken = client.post(path, _bed_report(facility), content_type="application/json", **headers)
    assert taken.status_code == 201 and BedReport.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_twice_at_once_gets_the_same_201_twice(hospital):
    reporter, facility = hospital
    headers = token_for(reporter) | {"HTTP_IDEMPOTENCY_KEY": "race-1"}
    body = _bed_report(facility)
    answers: list = []
    start = threading.Barrier(2)

    def send() -> None:
        start.wait()
        response = Client().post(
            "/api/v1/capacity/bed-reports", body, content_type="application/json", **headers
        )
        answers.append((response.status_code, response.json()))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [code for code, _ in answers] == [201, 201]
    assert answers[0][1] == answers[1][1] and BedReport.objects.count() == 1
