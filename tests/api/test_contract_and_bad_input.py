"""The API contract (unique schema names, 422 with a code, 401 with WWW-Authenticate, every error
documented) and input that used to end in a 500."""

from __future__ import annotations

import collections
import json
from datetime import timedelta

import pydantic
import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from beredskap.api.api import api
from beredskap.capacity.interop import fhir
from beredskap.capacity.interop.common import MessageInvalid
from beredskap.core.tabular import _csv_rows
from beredskap.exercises.calendar import ical_feed
from tests.capacity.helpers import icu_counts, make_facility
from tests.exercises.builders import make_exercise, make_plan
from tests.factories import make_user, token_for


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_no_two_schema_classes_share_a_name_so_openapi_documents_the_right_bodies():
    by_name = collections.defaultdict(set)
    for cls in _subclasses(pydantic.BaseModel):
        if cls.__module__.startswith("beredskap."):
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: sorted(c) for name, c in by_name.items() if len(c) > 1} == {}


def test_every_operation_documents_422_and_401_with_the_error_body():
    schema = api.get_openapi_schema()
    missing = [
        (path, method)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if not {"401", "422", "503"} <= set(op["responses"])
    ]
    assert missing == []
    assert "ErrorOut" in schema["components"]["schemas"]


def test_a_body_that_breaks_the_schema_is_422_with_a_code(admin_user):
    response = Client().post(
        "/api/v1/capacity/bed-reports", "{}", "application/json", **token_for(admin_user)
    )
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert response.json()["detail"][0]["loc"]


def test_an_unauthenticated_post_is_401_with_www_authenticate_not_a_csrf_refusal(db):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/capacity/bed-reports", "{}", "application/json"
    )
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"CSRF" not in response.content


def test_an_id_beyond_what_the_database_stores_is_400_not_500(admin_user):
    response = Client().get(f"/api/v1/risk/analyses/{2**70}", **token_for(admin_user))
    assert response.status_code in (400, 404, 422) and "code" in response.json()


def test_a_naive_datetime_in_api_input_is_refused_with_422(org):
    nlsh = org("Nordlandssykehuset HF")
    reporter, facility = make_user("sykehus", nlsh, role="reporter"), make_facility(nlsh, "NLSH")
    naive = (timezone.localtime() - timedelta(hours=1)).replace(tzinfo=None).isoformat()
    body = {"facility": facility.code, "reported_at": naive, "counts": icu_counts()}
    response = Client().post(
        "/api/v1/capacity/bed-reports", json.dumps(body), "application/json", **token_for(reporter)
    )
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


def test_a_bed_report_from_1969_is_refused(org):
    nlsh = org("Nordlandssykehuset HF")
    reporter, facility = make_user("sykehus", nlsh, role="reporter"), make_facility(nlsh, "NLSH")
    body = {"facility": facility.code, "reported_at": "1969-12-31T23:00:00+00:00"}
    response = Client().post(
        "/api/v1/capacity/bed-reports",
        json.dumps(body | {"counts": icu_counts()}),
        "application/json",
        **token_for(reporter),
    )
    assert response.status_code == 400 and "2000" in response.content.decode()


def test_sending_the_same_have_file_twice_is_409_not_a_500(org):
    from beredskap.capacity.interop import have

    nlsh = org("Nordlandssykehuset HF")
    reporter, facility = make_user("sykehus", nlsh, role="reporter"), make_facility(nlsh, "NLSH")
    from beredskap.capacity.services.beds import submit_bed_report

    report = submit_bed_report(
        by=reporter,
        facility=facility,
        source="api",
        reported_at=timezone.now() - timedelta(hours=1),
        counts=icu_counts(),
    )
    document = have.export_reports([report])
    client, headers = Client(), token_for(reporter)
    path = "/api/v1/capacity/bed-reports/edxl-have"
    first = client.post(path, document, "application/xml", **headers)
    again = client.post(path, document, "application/xml", **headers)
    assert first.status_code == 201
    assert again.status_code == 409 and again.json()["code"] == "duplicate"


def test_fhir_json_nested_thousands_deep_is_an_invalid_message():
    deep = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    with pytest.raises(MessageInvalid):
        fhir.parse(deep)


def test_a_csv_field_longer_than_the_csv_limit_is_a_clear_error():
    with pytest.raises(ValidationError, match="Linje"):
        _csv_rows(b"a;b\n" + b"x" * 140_000 + b";1\n")


def test_control_characters_in_an_alert_are_refused_before_publishing():
    from beredskap.operations.services.alerts import _check_xml_text

    with pytest.raises(ValidationError):
        _check_xml_text(["Stengt\x07 vei"])
    _check_xml_text(["Linje 1\nLinje 2\tfane"])


def test_an_api_request_while_the_database_is_away_is_a_503_json_with_retry_after(
    admin_user, monkeypatch
):
    from beredskap.core import apiauth

    def away(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    headers = token_for(admin_user)
    monkeypatch.setattr(apiauth.TokenAuth, "authenticate", away)
    response = Client(raise_request_exception=False).get("/api/v1/risk/analyses", **headers)
    assert response.status_code == 503 and response.json()["code"] == "unavailable"
    assert response["Retry-After"]


def test_calendar_uids_do_not_depend_on_the_host_and_planned_exercises_are_tentative(
    secretariat_user, org, settings
):
    settings.BEREDSKAP_BASE_URL = "https://beredskap.example.no"
    plan = make_plan(secretariat_user, org("HOD"))
    exercise = make_exercise(secretariat_user, org("Hdir"), plan=plan, title="Øvelse")
    one = Calendar.from_ical(ical_feed(plan, [exercise], "evil.example", plan.title)).walk(
        "VEVENT"
    )[0]
    two = Calendar.from_ical(ical_feed(plan, [exercise], "other.host", plan.title)).walk("VEVENT")[
        0
    ]
    assert str(one["uid"]) == str(two["uid"]) == f"exercise-{exercise.pk}@beredskap.example.no"
    assert str(one["status"]) == "TENTATIVE"
