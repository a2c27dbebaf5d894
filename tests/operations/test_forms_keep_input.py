"""Every crisis form keeps what was typed on error and shows every error at once: each form is
posted with one typed value and the rest wrong or missing; the page it lands on must show the
typed value again and an error for each wrong field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import verified_client

TYPED = "Skrevet-inn-7731"

# (action, page, prefix, fields: typed text field, and fields left wrong/missing)
FORMS = [
    ("operations:level", "operations:crisis", "level", "reason", ["version", "level", "phase"]),
    ("operations:notify", "operations:crisis", "notify", "title", ["bodies", "ack_within_minutes"]),
    ("operations:activate", "operations:crisis", "activation", "reason", ["body"]),
    ("operations:cycle_create", "operations:crisis", "cycle", "name", ["due_time", "starts_on"]),
    (
        "operations:liaison_add",
        "operations:crisis",
        "liaison",
        "name",
        ["organisation", "placed_in"],
    ),
    (
        "operations:decision_create",
        "operations:work",
        "decision",
        "title",
        ["authority", "valid_from"],
    ),
    ("operations:task_create", "operations:work", "task", "title", ["owner_org", "due_at"]),
    ("operations:request_create", "operations:work", "request", "item", ["quantity", "deadline"]),
    ("operations:offer_create", "operations:work", "offer", "item", ["quantity", "location"]),
    ("operations:alert_create", "operations:work", "alert", "event", ["severity", "urgency"]),
]


@pytest.mark.parametrize(("action", "page", "prefix", "typed", "wrong"), FORMS)
def test_a_refused_form_comes_back_with_what_was_typed_and_every_error(
    crisis, coordinator, action, page, prefix, typed, wrong
):  # type: ignore[no-untyped-def]
    client = verified_client(coordinator)
    data = {f"{prefix}-{typed}": TYPED, **{f"{prefix}-{w}": "ugyldig-x" for w in wrong}}
    response = client.post(reverse(action, args=[crisis.pk]), data, follow=True)
    html = response.content.decode()
    assert response.request["PATH_INFO"] == reverse(page, args=[crisis.pk])
    assert f'value="{TYPED}"' in html or f">{TYPED}</textarea>" in html, "typed value kept"
    for field in wrong:
        assert f'id="id_{prefix}-{field}_error"' in html, f"{field} error shown inline"
    again = client.get(reverse(page, args=[crisis.pk])).content.decode()
    assert TYPED not in again, "the kept form is shown once, not for ever"
