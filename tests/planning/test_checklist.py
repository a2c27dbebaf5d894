"""The box 2.1 checklist derives its status from the records that satisfy each requirement and
shows them; a manual status on such a requirement is an override with its reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beredskap.planning import services
from tests.factories import make_user, verified_client
from tests.risk.builders import approve, make_analysis, make_event


def _item(client, org, number):
    page = client.get(f"/planverk/krav/{org.pk}/").content.decode()
    return page.split(f'id="krav-{number}"')[1].split("<details")[0]  # what is shown, not the form


def test_the_ros_requirement_follows_the_ministrys_approved_ros_with_a_link(org):
    hod = make_user("hod", org("HOD"), role="secretariat", clearance=1)
    client = verified_client(hod)
    assert "Ikke oppfylt" in _item(client, org("HOD"), 2)
    analysis = make_analysis(hod, org("HOD"), title="Sektorens ROS 2025")
    make_event(hod, analysis)
    assert "Ikke oppfylt" in _item(client, org("HOD"), 2)  # a draft satisfies nothing
    approve(hod, analysis, on=timezone.localdate() - timedelta(days=10))
    item = _item(client, org("HOD"), 2)
    assert "Oppfylt" in item and "Ikke oppfylt" not in item
    assert f'href="/risiko/{analysis.pk}/"' in item and "Sektorens ROS 2025" in item


def test_a_manual_status_needs_a_reason_and_is_shown_as_an_override(org):
    hod = make_user("hod", org("HOD"), role="secretariat", clearance=1)
    with pytest.raises(ValidationError, match="Begrunn"):
        services.assess_requirement(by=hod, owner_org=org("HOD"), requirement=2, status="met")
    client = verified_client(hod)
    client.post(
        f"/planverk/krav/{org('HOD').pk}/",
        {"requirement": "2", "status": "met", "override_reason": ""},
    )
    assert "Overstyrt" not in _item(client, org("HOD"), 2)
    client.post(
        f"/planverk/krav/{org('HOD').pk}/",
        {"requirement": "2", "status": "met", "override_reason": "ROS vedtatt i møte 3. mars"},
    )
    item = _item(client, org("HOD"), 2)
    assert "Overstyrt manuelt" in item and "ROS vedtatt i møte 3. mars" in item
    assert "postene viser" in item and "Ikke oppfylt" in item
