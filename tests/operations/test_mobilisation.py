"""Mobilisation as a conversation: an approved allocation asks each named reserve person; only
an acceptance deploys; declines and silence go to the next candidate the optimiser proposes;
every step is on the allocation page; the person sees and ends her own deployment."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from beredskap.core.errors import PermissionDenied
from beredskap.operations.models import (
    AllocationLine,
    CrisisLogEntry,
    Deployment,
    MobilisationRequest,
)
from beredskap.operations.services import mobilisation, resources
from tests.factories import make_user, verified_client
from tests.operations.test_reserve_allocation import ask, volunteer


@pytest.fixture
def asked(crisis, coordinator, org, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Nina (Helse Nord) is the optimiser's choice for one ICU nurse in Bodø; Tor (south-east,
    willing to travel) is next."""
    nina = volunteer("nina", "H05", phone="+4791111111")
    nina.user.email = "nina@example.test"
    nina.user.save()
    tor = volunteer("tor", "H12", willing_to_travel=True)
    request = ask(coordinator, crisis, org, quantity=1)
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    with django_capture_on_commit_callbacks(execute=True):
        resources.approve_proposal(
            by=coordinator, proposal=proposal, expected_version=proposal.version
        )
    return nina, tor, request


def test_approval_asks_the_person_instead_of_deploying_her(asked, mailoutbox):  # type: ignore[no-untyped-def]
    nina, _tor, request = asked
    mob = MobilisationRequest.objects.get()
    assert mob.reserve == nina and mob.status == "asked" and mob.deadline > timezone.now()
    assert not Deployment.objects.exists()
    request.refresh_from_db()
    assert request.status == "open"
    (mail,) = mailoutbox
    assert mail.to == ["nina@example.test"]
    assert reverse("operations:mobilisation", args=[mob.pk]) in mail.body
    channels = {d["channel"]: d for d in mob.__class__.objects.get().deliveries}
    assert channels["email"]["ok"] and channels["in_app"]["ok"]
    assert not channels["sms"]["ok"] and "BEREDSKAP_SMS_URL" in channels["sms"]["error"]
    assert "nina@example.test" not in str(mob.__class__.objects.get().deliveries)


def test_the_sms_with_the_link_goes_through_the_gateway(
    crisis, coordinator, org, sms_gateway, django_capture_on_commit_callbacks
):
    volunteer("nina", "H05", phone="+4791111111")
    ask(coordinator, crisis, org, quantity=1)
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    with django_capture_on_commit_callbacks(execute=True):
        resources.approve_proposal(
            by=coordinator, proposal=proposal, expected_version=proposal.version
        )
    mob = MobilisationRequest.objects.get()
    (sent,) = sms_gateway.received
    assert sent["json"]["to"] == "+4791111111"
    assert f"/krise/mobilisering/{mob.pk}/" in sent["json"]["text"]


def test_accepting_starts_the_deployment_and_fills_the_request(asked):  # type: ignore[no-untyped-def]
    nina, _tor, request = asked
    mob = MobilisationRequest.objects.get()
    deployment = mobilisation.answer(by=nina.user, mob=mob, accept=True)
    assert deployment.line.reserve == nina
    request.refresh_from_db()
    assert request.status == "filled"
    mob.refresh_from_db()
    assert mob.status == "accepted" and mob.answered_at
    with pytest.raises(ValidationError):
        mobilisation.answer(by=nina.user, mob=mob, accept=False)


def test_a_decline_asks_the_next_candidate_the_optimiser_proposes(asked):  # type: ignore[no-untyped-def]
    nina, tor, request = asked
    first = MobilisationRequest.objects.get()
    second = mobilisation.answer(by=nina.user, mob=first, accept=False, note="Syk")
    assert second.reserve == tor and second.status == "asked"
    first.refresh_from_db()
    assert first.status == "declined" and first.note == "Syk"
    line = AllocationLine.objects.get()
    assert line.reserve == tor and line.quantity == 1
    assert not Deployment.objects.exists()
    texts = list(CrisisLogEntry.objects.filter(kind="deployment").values_list("text", flat=True))
    assert any("takket nei" in t for t in texts) and any("Neste kandidat" in t for t in texts)


def test_silence_past_the_deadline_moves_on_and_the_last_gives_the_need_back(asked):  # type: ignore[no-untyped-def]
    _nina, tor, request = asked
    MobilisationRequest.objects.update(deadline=timezone.now() - timedelta(minutes=1))
    call_command("escalate_notifications")
    assert MobilisationRequest.objects.get(status="expired").reserve.user.username == "nina"
    nxt = MobilisationRequest.objects.get(status="asked")
    assert nxt.reserve == tor
    assert mobilisation.expire_overdue(now=nxt.deadline + timedelta(seconds=1)) == 1
    assert not MobilisationRequest.objects.filter(status="asked").exists()
    line = AllocationLine.objects.get()
    assert line.quantity == 0
    request.refresh_from_db()
    assert request.status == "open"
    assert resources.covered([request.pk]).get(request.pk, 0) == 0  # a new proposal may fill it


def test_an_answer_after_the_deadline_or_by_someone_else_is_refused(asked):  # type: ignore[no-untyped-def]
    nina, tor, _request = asked
    mob = MobilisationRequest.objects.get()
    with pytest.raises(PermissionDenied):
        mobilisation.answer(by=tor.user, mob=mob, accept=True)
    MobilisationRequest.objects.update(deadline=timezone.now() - timedelta(seconds=1))
    mob.refresh_from_db()
    with pytest.raises(ValidationError, match="Svarfristen"):
        mobilisation.answer(by=nina.user, mob=mob, accept=True)
    assert not Deployment.objects.exists()


def test_the_person_answers_on_her_page_and_others_get_404(asked):  # type: ignore[no-untyped-def]
    nina, tor, _request = asked
    mob = MobilisationRequest.objects.get()
    url = reverse("operations:mobilisation", args=[mob.pk])
    assert verified_client(tor.user).get(url).status_code == 404
    client = verified_client(nina.user)
    start = client.get("/").content.decode()
    assert url in start and "venter på ditt svar" in start
    page = client.post(url, {"answer": "accept"}, follow=True).content.decode()
    assert "Takk! Du har takket ja" in page and "Avslutt utsendelsen min" in page
    assert Deployment.objects.filter(line__reserve=nina, ended_at=None).exists()


def test_the_person_ends_her_own_deployment_and_nobody_else_can(asked):  # type: ignore[no-untyped-def]
    nina, tor, _request = asked
    mobilisation.answer(by=nina.user, mob=MobilisationRequest.objects.get(), accept=True)
    deployment = Deployment.objects.get()
    end = reverse("operations:own_deployment_end", args=[deployment.pk])
    assert verified_client(tor.user).post(end).status_code == 404
    client = verified_client(nina.user)
    assert "Dine pågående utsendelser" in client.get("/").content.decode()
    client.post(end, {"note": "Hjemme"})
    deployment.refresh_from_db()
    assert deployment.ended_at and deployment.note == "Hjemme"
    assert "Dine pågående utsendelser" not in client.get("/").content.decode()


def test_the_allocation_page_shows_every_step_to_the_requesting_organisation(asked, crisis, org):  # type: ignore[no-untyped-def]
    nina, _tor, _request = asked
    mobilisation.answer(by=nina.user, mob=MobilisationRequest.objects.get(), accept=False)
    bodo = make_user("bodoleder", org("Bodø kommune"), role="reporter", clearance=1)
    html = verified_client(bodo).get(reverse("operations:work", args=[crisis.pk])).content.decode()
    steps = html.split("app-mobilisation-steps")[1].split("</ol>")[0]
    assert "Takket nei" in steps and "Spurt, venter på svar" in steps
    assert "nina" not in steps.lower()  # no identity, only the registry label


def test_the_api_lists_each_step_and_counts_only_accepted_as_deployed(
    asked, crisis, coordinator, client
):  # type: ignore[no-untyped-def]
    from tests.factories import token_for

    nina, _tor, request = asked
    headers = token_for(coordinator)
    before = client.get(f"/api/v1/crises/{crisis.pk}/requests", **headers).json()["items"]
    assert (before[0]["covered"], before[0]["deployed"]) == (1, 0)
    mobilisation.answer(by=nina.user, mob=MobilisationRequest.objects.get(), accept=False)
    steps = client.get(f"/api/v1/crises/{crisis.pk}/mobilisations", **headers).json()["items"]
    assert [s["status"] for s in steps] == ["declined", "asked"]
    assert all("address" not in d for s in steps for d in s["deliveries"])
