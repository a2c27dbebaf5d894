"""Every create path (form and API) of a classified record type starts at the creator's level
and refuses a level above her own clearance (sikkerhetsloven §§ 5-3 and 8-1): a record saved
above the author's clearance would vanish from her at once."""

import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beredskap.core.classification import Classification
from beredskap.core.holding import ABOVE_OWN_CLEARANCE
from tests.factories import make_user, token_for, verified_client

_names = itertools.count()


def _ros(org):
    return "/risk/analyses", {
        "owner_org_id": org.pk,
        "title": "Helhetlig ROS",
        "scope": "municipality",
        "municipality": org.municipality.number,
        "period_start": "2025-01-01",
        "period_end": "2028-12-31",
    }


def _scenario(org):
    return "/planning/scenarios", {
        "owner_org_id": org.pk,
        "title": "Vannforurensning",
        "risk_area": "water",
    }


def _assumption(org):
    return "/planning/assumptions", {
        "owner_org_id": org.pk,
        "title": "Forutsetning",
        "statement": "Vannverket faller ut i tre døgn.",
        "level": "local",
        "valid_from": "2025-01-01",
    }


def _plan(org):
    return "/planning/plans", {
        "owner_org_id": org.pk,
        "title": "Overordnet",
        "plan_type": "overall",
    }


def _exercise(org):
    return "/exercises", {
        "owner_org_id": org.pk,
        "title": "Vannøvelse",
        "exercise_type": "tabletop",
        "starts_on": "2025-03-01",
    }


CREATORS = {
    "risk.RosAnalysis": _ros,
    "planning.Scenario": _scenario,
    "planning.PlanningAssumption": _assumption,
    "planning.Plan": _plan,
    "exercises.Exercise": _exercise,
}


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def _post(user, path, body):
    client = verified_client(user)
    return client, client.post(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", **token_for(user)
    )


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(sorted(CREATORS)),
    st.sampled_from(list(Classification)),
    st.one_of(st.none(), st.sampled_from(list(Classification))),
)
def test_a_record_is_created_at_a_level_its_creator_can_read(label, clearance, chosen):
    from beredskap.actors.models import Organisation

    bodo = Organisation.objects.get(name="Bodø kommune")
    user = make_user(f"bodo{next(_names)}", bodo, role="reporter", clearance=clearance)
    model = _model(label)
    path, body = CREATORS[label](bodo)
    if chosen is not None:
        body["classification"] = chosen.name
    before = model.objects.count()
    client, response = _post(user, path, body)
    if chosen is not None and chosen > clearance:
        assert response.status_code == 400, response.content
        assert str(ABOVE_OWN_CLEARANCE) in json.dumps(response.json(), ensure_ascii=False)
        assert model.objects.count() == before
        return
    assert response.status_code == 201, response.content
    record = model.objects.get(pk=response.json()["id"])
    expected = chosen if chosen is not None else min(model.DEFAULT_CLASSIFICATION, clearance)
    assert record.classification == expected
    assert record.classification <= clearance
    assert model.objects.visible_to(user).filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_a_municipality_user_without_clearance_creates_her_ros_and_sees_it(org):
    bodo = org("Bodø kommune")
    user = make_user("kari", bodo, role="reporter", clearance=Classification.UGRADERT)
    client = verified_client(user)
    page = client.get("/risiko/ny/").content.decode()
    assert 'value="0" selected' in page
    assert "BEGRENSET" not in page and "KONFIDENSIELT" not in page
    _path, body = _ros(bodo)
    body.update(classification="0", revision_cycle_years="4", method="dsb_municipal")
    body.update(owner_org=bodo.pk, municipality=bodo.municipality.pk)
    response = client.post("/risiko/ny/", body, follow=True)
    assert response.status_code == 200
    assert "Helhetlig ROS" in response.content.decode()
    assert "Analysen er opprettet som utkast." in response.content.decode()


@pytest.mark.django_db
def test_a_tampered_form_above_own_clearance_is_refused_with_the_reason(org):
    from beredskap.risk.models import RosAnalysis

    bodo = org("Bodø kommune")
    user = make_user("kari", bodo, role="reporter", clearance=Classification.BEGRENSET)
    client = verified_client(user)
    _path, body = _ros(bodo)
    body.update(classification="2", revision_cycle_years="4", method="dsb_municipal")
    body.update(owner_org=bodo.pk, municipality=bodo.municipality.pk)
    response = client.post("/risiko/ny/", body)
    assert "Du kan ikke lagre et dokument du selv ikke har tilgang til" in response.content.decode()
    assert "Helhetlig ROS" in response.content.decode()  # what she typed is kept
    assert not RosAnalysis.objects.exists()
