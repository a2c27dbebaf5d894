"""Decisions, tasks, resource allocation and CAP alerts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from beredskap.core.models import Municipality
from beredskap.operations import allocation, cap, queries
from beredskap.operations.models import Deployment
from beredskap.operations.services import alerts, decisions, resources

NB = {
    "language": "nb-NO",
    "headline": "Influensa: hold deg hjemme",
    "description": "Ved feber, hold deg hjemme.",
}
EN = {
    "language": "en-GB",
    "headline": "Influenza: stay home",
    "description": "Stay home if you have a fever.",
}


def _decision(coordinator, crisis, org, **over):  # type: ignore[no-untyped-def]
    now = timezone.now()
    fields = dict(
        title="Besøksforbud sykehjem",
        authority=org("Hdir"),
        level="national",
        subsidiarity="Nasjonalt fordi smitten er i flere fylker.",
        legal_basis="smittevernloven",
        legal_section="§ 4-1",
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(days=14),
        measures=[
            {"text": "Besøksforbud", "municipalities": [Municipality.objects.get(number="1804")]}
        ],
    )
    fields.update(over)
    return decisions.record_decision(by=coordinator, crisis=crisis, **fields)


def test_a_decision_in_force_is_listed_with_its_legal_basis(crisis, coordinator, org):
    d = _decision(coordinator, crisis, org)
    assert queries.decisions_in_force(coordinator, crisis) == [d]
    assert (
        d.get_legal_basis_display() == "Smittevernloven"
        and d.measures.get().municipalities.count() == 1
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"authority": None},
        {"legal_basis": ""},
        {"legal_section": " "},
        {"subsidiarity": ""},
        {"legal_basis": "hemmelig-lov"},
    ],
)
def test_a_decision_without_legal_basis_or_authority_is_refused(crisis, coordinator, org, bad):
    with pytest.raises(ValidationError):
        _decision(coordinator, crisis, org, **bad)


def test_an_expired_decision_is_not_in_force(crisis, coordinator, org):
    now = timezone.now()
    _decision(
        coordinator,
        crisis,
        org,
        valid_from=now - timedelta(days=3),
        valid_until=now - timedelta(days=1),
    )
    assert queries.decisions_in_force(coordinator, crisis) == []


def test_a_task_cannot_finish_before_what_it_depends_on(crisis, coordinator, org):
    first = decisions.create_task(
        by=coordinator,
        crisis=crisis,
        title="Kartlegg",
        owner_org=org("Hdir"),
        due_at=timezone.now() - timedelta(hours=1),
    )
    second = decisions.create_task(
        by=coordinator,
        crisis=crisis,
        title="Fordel",
        owner_org=org("Hdir"),
        due_at=timezone.now() + timedelta(hours=5),
        depends_on=[first],
    )
    with pytest.raises(ValidationError, match="venter"):
        decisions.set_task_status(
            by=coordinator, task=second, status="done", expected_version=second.version
        )
    assert list(decisions.overdue_tasks(queries.tasks(coordinator, crisis))) == [first]
    decisions.set_task_status(
        by=coordinator, task=first, status="done", expected_version=first.version
    )
    decisions.set_task_status(
        by=coordinator, task=second, status="done", expected_version=second.version
    )


def test_the_optimiser_fills_by_priority_and_respects_willingness_to_travel(
    market, crisis, coordinator
):
    high, low, near, far = market
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    lines = {(line.request_id, line.offer_id): line.quantity for line in proposal.lines.all()}
    assert lines == {(high.pk, near.pk): 5}
    assert proposal.objective >= proposal.greedy_objective and proposal.fulfilment == 0.5


def test_approving_creates_deployments_and_a_conflicting_second_approval_is_refused(
    market, crisis, coordinator
):
    first = resources.propose_allocation(by=coordinator, crisis=crisis)
    second = resources.propose_allocation(by=coordinator, crisis=crisis)
    resources.approve_proposal(by=coordinator, proposal=first, expected_version=first.version)
    assert Deployment.objects.filter(line__proposal=first).count() == 1
    market[0].refresh_from_db()
    assert market[0].status == "filled"
    with pytest.raises(ValidationError, match="ikke lenger tilgjengelig|allerede dekket"):
        resources.approve_proposal(by=coordinator, proposal=second, expected_version=second.version)


def test_an_adjustment_above_availability_is_refused(market, crisis, coordinator):
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    with pytest.raises(ValidationError):
        resources.adjust_line(by=coordinator, line=proposal.lines.first(), quantity=50)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 9), st.integers(1, 5), st.floats(58, 70), st.floats(5, 25)),
        min_size=1,
        max_size=6,
    ),
    st.lists(
        st.tuples(st.integers(1, 9), st.floats(58, 70), st.floats(5, 25)), min_size=1, max_size=6
    ),
)
def test_the_optimiser_never_exceeds_availability_and_never_loses_to_greedy(reqs, offs):
    needs = [
        allocation.Need(i, "personnel", "lege", q, p, la, lo)
        for i, (q, p, la, lo) in enumerate(reqs)
    ]
    supplies = [
        allocation.Supply(100 + j, "personnel", "lege", q, la, lo)
        for j, (q, la, lo) in enumerate(offs)
    ]
    best, base = allocation.optimise(needs, supplies), allocation.greedy(needs, supplies)
    for s in supplies:
        assert sum(q for (n, k), q in best.flows.items() if k == s.key) <= s.quantity
    for n in needs:
        assert sum(q for (k, o), q in best.flows.items() if k == n.key) <= n.quantity
    assert best.objective >= base.objective - 1e-6


def _alert(coordinator, crisis, **over):  # type: ignore[no-untyped-def]
    fields = dict(
        event="Pandemisk influensa",
        urgency="Expected",
        severity="Severe",
        certainty="Likely",
        infos=[NB, EN],
        municipalities=[Municipality.objects.get(number="1804")],
    )
    fields.update(over)
    return alerts.publish_alert(by=coordinator, crisis=crisis, **fields)


def test_a_cap_alert_validates_against_the_official_schema_with_municipality_geocodes(
    crisis, coordinator
):
    alert = _alert(coordinator, crisis)
    assert cap.validation_errors(alert.xml) == []
    root = etree.fromstring(alert.xml.encode())
    ns = {"c": cap.NS}
    assert root.findtext("c:status", namespaces=ns) == "Actual"
    assert [e.text for e in root.findall("c:info/c:language", ns)] == ["nb-NO", "en-GB"]
    assert root.findtext("c:info/c:area/c:geocode/c:value", namespaces=ns) == "1804"
    assert "Z" not in root.findtext("c:sent", namespaces=ns)


def test_an_exercise_alert_carries_status_exercise(make_crisis, coordinator):
    alert = _alert(coordinator, make_crisis("Øvelse", exercise=True))
    assert (
        alert.status == "Exercise"
        and "<status>Exercise</status>" in alert.xml
        and "ØVELSE" in alert.xml
    )


def test_an_alert_that_fails_the_cap_schema_is_refused_with_the_reason(crisis, coordinator):
    with pytest.raises(ValidationError, match="CAP 1.2"):
        _alert(coordinator, crisis, urgency="Snart")
    with pytest.raises(ValidationError, match="CAP 1.2"):
        _alert(coordinator, crisis, infos=[{**NB, "language": "norsk bokmål"}])


def test_update_and_cancel_reference_the_previous_message(crisis, coordinator):
    first = _alert(coordinator, crisis)
    update = alerts.update_alert(
        by=coordinator,
        previous=first,
        event="Pandemisk influensa",
        urgency="Immediate",
        severity="Severe",
        certainty="Observed",
        infos=[NB],
        municipalities=list(first.municipalities.all()),
    )
    cancel = alerts.cancel_alert(by=coordinator, previous=update, note="Situasjonen er normalisert")
    assert f",{first.identifier}," in update.xml and cancel.msg_type == "Cancel"
    assert cap.validation_errors(cancel.xml) == []
    with pytest.raises(ValidationError):
        alerts.cancel_alert(by=coordinator, previous=update, note="igjen")
