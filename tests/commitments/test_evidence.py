"""Evidence of a commitment: plans, ROS analyses, exercises, meeting decisions and crisis decisions,
picked among the records the user may see and shown only to those who may see them."""

import pytest
from django.core.exceptions import ValidationError

from beredskap.actors.models import Body
from beredskap.commitments import services
from beredskap.exercises.models import RecordLink
from tests.exercises.builders import (
    crisis_decision,
    make_exercise,
    meeting_decision,
    other_plan,
    ros_event,
)
from tests.factories import make_user, verified_client


@pytest.fixture
def secretary(org):
    return make_user("sekretar", org("HOD"), role="secretariat", clearance=1)


@pytest.fixture
def evidence(org, secretary):
    council = Body.objects.get(slug="helseberedskapsradet")
    return {
        "plan": other_plan(org("Hdir"), "Helseberedskapsplan for Hdir"),
        "analysis": ros_event(org("Hdir"), "Bortfall av strøm", classification=0).analysis,
        "exercise": make_exercise(secretary, org("HOD"), title="Sivil-militær øvelse 2025"),
        "meeting_decision": meeting_decision(council, "Rådet slutter seg til øvingsplanen"),
        "hidden_meeting_decision": meeting_decision(
            council, "Gradert vedtak om atomberedskap", owner=org("DSA"), classification=2
        ),
        "crisis_decision": crisis_decision(secretary, org("HOD"), "Besøksforbud på sykehjem"),
    }


def test_the_secretariat_links_every_kind_of_evidence_it_can_see(commitments, secretary, evidence):
    commitment = commitments.get(key="white_paper-16")
    client = verified_client(secretary)
    url = f"/oppfolging/{commitment.pk}/dokumentasjon/"
    choices = {
        "plan": "planning.plan",
        "analysis": "risk.rosanalysis",
        "exercise": "exercises.exercise",
        "meeting_decision": "actors.meetingdecision",
        "crisis_decision": "operations.decision",
    }
    for name, key in choices.items():
        page = client.get(url, {"choice": f"evidence|{key}"}).content.decode()
        assert f'name="target_id" value="{evidence[name].pk}"' in page
        assert (
            client.post(
                url, {"choice": f"evidence|{key}", "target_id": evidence[name].pk}
            ).status_code
            == 302
        )
    refused = client.post(
        url,
        {
            "choice": "evidence|actors.meetingdecision",
            "target_id": evidence["hidden_meeting_decision"].pk,
        },
    )
    assert refused.status_code == 404 and RecordLink.objects.count() == 5
    assert (
        "Gradert vedtak"
        not in client.get(url, {"choice": "evidence|actors.meetingdecision"}).content.decode()
    )
    detail = client.get(f"/oppfolging/{commitment.pk}/").content.decode()
    for text in (
        "Helseberedskapsplan for Hdir",
        "ROS Hdir",
        "Sivil-militær øvelse 2025",
        "Rådet slutter seg til øvingsplanen",
        "Besøksforbud på sykehjem",
    ):
        assert text in detail
    assert f'href="/krise/{evidence["crisis_decision"].crisis_id}/arbeid/"' in detail


def test_a_reader_does_not_see_evidence_from_a_crisis_or_meeting_hidden_from_her(
    commitments, secretary, evidence, org
):
    commitment = commitments.get(key="white_paper-16")
    services.link_evidence(by=secretary, commitment=commitment, target=evidence["crisis_decision"])
    services.link_evidence(by=secretary, commitment=commitment, target=evidence["meeting_decision"])
    reader = verified_client(make_user("les", org("FHI")))
    page = reader.get(f"/oppfolging/{commitment.pk}/").content.decode()
    assert "Rådet slutter seg til øvingsplanen" in page and "Besøksforbud" not in page
    assert (
        f"/oppfolging/{commitment.pk}/dokumentasjon/" not in page
    )  # a reader may not add evidence
    assert (
        reader.post(
            f"/oppfolging/{commitment.pk}/dokumentasjon/",
            {"choice": "evidence|planning.plan", "target_id": evidence["plan"].pk},
        ).status_code
        == 403
    )


def test_the_service_refuses_hidden_or_unsuitable_evidence(commitments, secretary, evidence, org):
    commitment = commitments.get(key="white_paper-16")
    with pytest.raises(ValidationError, match="tilgang"):
        services.link_evidence(
            by=secretary, commitment=commitment, target=evidence["hidden_meeting_decision"]
        )
    with pytest.raises(ValidationError):  # an organisation is not evidence
        services.link_evidence(by=secretary, commitment=commitment, target=org("FHI"))
    assert not RecordLink.objects.exists()
