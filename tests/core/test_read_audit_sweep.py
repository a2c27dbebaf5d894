"""Every response that shows a classified record leaves a read row (for the
auditors).

The sweep walks the URL resolver (HTML pages and the ninja API routes alike) and requests every
GET endpoint with the id of a set of KONFIDENSIELT records; whenever a record's marker is in the
response, a read row of that record by that user must have been written by that request. A new page
or endpoint is covered without editing this test.
"""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from beredskap.core.models import AuditEvent
from tests.factories import make_user, token_for, verified_client

RECORD_ID = 424242
SKIPPED_PREFIXES = ("admin/", "konto/", "api/v1/docs", "api/v1/openapi")
PARAMETER = re.compile(r"<(?:[^>:]+:)?[^>]+>")


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    found: list[str] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found.extend(_routes(pattern.url_patterns, route))
        elif isinstance(pattern, URLPattern) and not route.startswith(SKIPPED_PREFIXES):
            found.append("/" + PARAMETER.sub(str(RECORD_ID), route).lstrip("^").rstrip("$"))
    return sorted(set(found))


def _konfidensielt_records(org: Any) -> dict[str, tuple[str, str]]:
    """One KONFIDENSIELT record of several kinds, all with the same id; marker -> (model, id)."""
    from beredskap.actors.models import Body, Meeting
    from beredskap.exercises.models import Exercise, ExercisePlan
    from beredskap.operations.models import Crisis
    from beredskap.planning.models import Plan, Scenario
    from beredskap.risk.models import RosAnalysis, UndesiredEvent

    hod = org("HOD")
    secret = {"id": RECORD_ID, "owner_org": hod, "classification": 2}
    today = timezone.localdate()
    Meeting.objects.create(
        **secret,
        body=Body.objects.get(slug="helseberedskapsradet"),
        title="MARKMOTE hemmelig møte",
        starts_at=timezone.now() + timedelta(days=2),
    )
    analysis = RosAnalysis.objects.create(
        **secret,
        title="MARKROS analyse",
        scope="sector",
        period_start=date(2024, 1, 1),
        period_end=date(2027, 12, 31),
    )
    UndesiredEvent.objects.create(
        id=RECORD_ID, analysis=analysis, number=1, title="MARKHENDELSE", risk_area="water"
    )
    Plan.objects.create(**secret, title="MARKPLAN beredskapsplan", plan_type="health_care")
    Scenario.objects.create(**secret, title="MARKSCENARIO", risk_area="infection")
    plan = ExercisePlan.objects.create(
        **secret, title="MARKOVPLAN", period_start=2024, period_end=2028, feed_token="sweep-token"
    )
    Exercise.objects.create(
        **secret,
        plan=plan,
        title="MARKOVELSE",
        exercise_type="tabletop",
        starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=11),
    )
    Crisis.objects.create(
        **secret,
        name="MARKKRISE",
        risk_area="infection",
        crisis_type="Pandemi",
        started_at=timezone.now(),
        lead_ministry=hod,
    )
    read_of = {
        "MARKMOTE": "actors.meeting",
        "MARKROS": "risk.rosanalysis",
        "MARKHENDELSE": "risk.rosanalysis",
        "MARKPLAN": "planning.plan",
        "MARKSCENARIO": "planning.scenario",
        "MARKOVPLAN": "exercises.exerciseplan",
        "MARKOVELSE": "exercises.exercise",
        "MARKKRISE": "operations.crisis",
    }
    return {marker: (label, str(RECORD_ID)) for marker, label in read_of.items()}


@pytest.mark.django_db
def test_every_get_endpoint_that_shows_a_konfidensielt_record_logs_its_read(org):
    records = _konfidensielt_records(org)
    reader = make_user("sweepleser", org("HOD"), role="secretariat", clearance=2)
    client, headers = verified_client(reader), token_for(reader)
    missing: list[str] = []
    shown = 0
    started = time.monotonic()
    for path in _routes(get_resolver().url_patterns):
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.get(path, **headers)
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        body = response.content.decode("utf-8", errors="replace")
        reads = set(
            AuditEvent.objects.filter(id__gt=last, action="read", actor=reader).values_list(
                "model", "object_id"
            )
        )
        for marker, record in records.items():
            if marker in body:
                shown += 1
                if record not in reads:
                    missing.append(f"{path} shows {marker} without a read row of {record}")
    assert shown > 20, "the sweep should find the markers on many pages"
    assert not missing, "\n".join(missing)
    assert time.monotonic() - started < 60


def _graded_meetings(org: Any, count: int) -> list[Any]:
    from beredskap.actors.models import Body
    from tests.factories import make_meeting

    council = Body.objects.get(slug="helseberedskapsradet")
    return [make_meeting(council, classification=2, title=f"Gradert {n}") for n in range(count)]


@pytest.mark.django_db
def test_the_api_list_and_detail_of_a_konfidensielt_record_log_its_read(org):
    meeting = _graded_meetings(org, 1)[0]
    reader = make_user("apileser", org("HOD"), clearance=2)
    client, headers = verified_client(reader), token_for(reader)
    reads = AuditEvent.objects.filter(action="read", actor=reader, object_id=str(meeting.pk))
    assert client.get("/api/v1/meetings", **headers).status_code == 200
    assert reads.count() == 1
    assert client.get(f"/api/v1/meetings/{meeting.pk}", **headers).status_code == 200
    assert reads.count() == 2


@pytest.mark.django_db
def test_a_list_logs_its_reads_in_a_fixed_number_of_queries(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reader = make_user("telleleser", org("HOD"), clearance=2)
    client, headers = verified_client(reader), token_for(reader)
    client.get("/api/v1/me", **headers)  # the token's first use is stamped once
    _graded_meetings(org, 2)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/meetings", **headers)
    _graded_meetings(org, 6)
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/meetings", **headers)
    assert AuditEvent.objects.filter(action="read", actor=reader).count() == 2 + 8
    assert len(many.captured_queries) == len(few.captured_queries)
