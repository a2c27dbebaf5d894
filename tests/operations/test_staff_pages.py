"""Pages for what was API/service-only: reporting cycles, the expert group's composition, liaisons,
crisis-role hand-over, adjusting allocation lines and ending deployments.
"""

from datetime import timedelta

from django.utils import timezone

from beredskap.actors.models import Body, Membership
from beredskap.operations.models import CrisisRoleAssignment, Deployment
from beredskap.operations.services import activation, resources
from tests.factories import make_user, verified_client

#: A cycle that started yesterday has a passed deadline whatever the time of day the suite runs.
YESTERDAY = timezone.localdate() - timedelta(days=1)


def test_a_coordinator_creates_a_reporting_cycle_from_the_crisis_page(crisis, coordinator):
    client = verified_client(coordinator)
    page = client.get(f"/krise/{crisis.pk}/").content.decode()
    assert "Ny rapporteringssyklus" in page
    response = client.post(
        f"/krise/{crisis.pk}/syklus/ny/",
        {
            "cycle-name": "Daglig 12",
            "cycle-due_time": "12:00",
            "cycle-starts_on": YESTERDAY.isoformat(),
            "cycle-interval_hours": 24,
            "cycle-org_kinds": ["municipality", "statsforvalter"],
        },
        follow=True,
    )
    cycle = crisis.cycles.get()
    assert cycle.name == "Daglig 12" and cycle.org_kinds == ["municipality", "statsforvalter"]
    assert response.redirect_chain[-1][0] == f"/krise/{crisis.pk}/syklus/{cycle.pk}/"
    assert (
        "Bodø kommune" in response.content.decode()
    )  # Nordland's municipalities are expected to report


def test_a_cycle_without_reporters_is_refused_with_a_reason(crisis, coordinator):
    response = verified_client(coordinator).post(
        f"/krise/{crisis.pk}/syklus/ny/",
        {
            "cycle-name": "Tom",
            "cycle-due_time": "12:00",
            "cycle-starts_on": timezone.localdate().isoformat(),
            "cycle-interval_hours": 24,
        },
        follow=True,
    )
    assert (
        not crisis.cycles.exists() and "Velg hvem som skal rapportere" in response.content.decode()
    )


def test_a_reporter_sees_no_staff_forms_and_cannot_post_them(crisis, bodo_reporter, org):
    from beredskap.operations.services.crises import grant_participants

    grant_participants(
        by=None, crisis=crisis, organisations=[org("Bodø kommune")], reason="rapportør"
    )
    client = verified_client(bodo_reporter)
    page = client.get(f"/krise/{crisis.pk}/").content.decode()
    assert crisis.name in page
    assert "Ny rapporteringssyklus" not in page and "Registrer kontaktperson" not in page
    response = client.post(
        f"/krise/{crisis.pk}/syklus/ny/",
        {
            "cycle-name": "X",
            "cycle-due_time": "12:00",
            "cycle-starts_on": timezone.localdate().isoformat(),
            "cycle-interval_hours": 24,
            "cycle-org_kinds": ["municipality"],
        },
        follow=True,
    )
    assert not crisis.cycles.exists() and "Bare krisens koordinatorer" in response.content.decode()
    response = client.post(
        f"/krise/{crisis.pk}/kontaktperson/",
        {
            "liaison-organisation": org("FHI").pk,
            "liaison-name": "Lise",
            "liaison-placed_in": Body.objects.get(slug="helseberedskapssekretariatet").pk,
        },
        follow=True,
    )
    assert not crisis.liaisons.exists()


def test_the_expert_group_is_composed_on_the_page(crisis, coordinator, org):
    group = Body.objects.get(slug="ekspertutvalg-helsekriser")
    council = Body.objects.get(slug="helseberedskapsradet")
    act = activation.activate_body(by=coordinator, crisis=crisis, body=group, reason="Råd")
    council_act = activation.activate_body(
        by=coordinator, crisis=crisis, body=council, reason="Møte"
    )
    client = verified_client(coordinator)
    page = client.get(f"/krise/{crisis.pk}/").content.decode()
    assert (
        f"/aktivering/{act.pk}/ekspert/" in page
        and f"/aktivering/{council_act.pk}/ekspert/" not in page
    )
    client.post(
        f"/krise/{crisis.pk}/aktivering/{act.pk}/ekspert/",
        {
            f"expert{act.pk}-name": "Ola Modell",
            f"expert{act.pk}-competence": "modelling",
            f"expert{act.pk}-subgroup": "Smittespredning",
            f"expert{act.pk}-organisation": org("FHI").pk,
        },
    )
    response = client.post(
        f"/krise/{crisis.pk}/aktivering/{act.pk}/ekspert/",
        {
            f"expert{act.pk}-name": "Kari Etikk",
            f"expert{act.pk}-competence": "ethics",
            f"expert{act.pk}-subgroup": "Feil",
        },
        follow=True,
    )
    assert list(act.experts.values_list("name", flat=True)) == ["Ola Modell"]
    page = response.content.decode()
    assert "Undergrupper gjelder modellering" in page
    assert "Ola Modell – Modellering (Smittespredning)" in page
    # the council is not composed by competence
    client.post(
        f"/krise/{crisis.pk}/aktivering/{council_act.pk}/ekspert/",
        {f"expert{council_act.pk}-name": "X", f"expert{council_act.pk}-competence": "law"},
    )
    assert not council_act.experts.exists()


def test_a_liaison_is_recorded_on_the_page_and_logged(crisis, coordinator, org):
    secretariat = Body.objects.get(slug="helseberedskapssekretariatet")
    response = verified_client(coordinator).post(
        f"/krise/{crisis.pk}/kontaktperson/",
        {
            "liaison-organisation": org("FHI").pk,
            "liaison-name": "Lise Liaison",
            "liaison-placed_in": secretariat.pk,
        },
        follow=True,
    )
    assert crisis.liaisons.get().name == "Lise Liaison"
    assert (
        "Kontaktperson Lise Liaison (Folkehelseinstituttet)" in response.content.decode()
        or "Lise Liaison" in response.content.decode()
    )
    assert crisis.log_entries.filter(kind="liaison", text__contains="Lise Liaison").exists()


def test_a_crisis_role_is_handed_over_on_the_page_with_a_note(crisis, coordinator, org):
    anne, bjorn = make_user("anne", org("HOD")), make_user("bjorn", org("HOD"))
    client = verified_client(coordinator)
    first = Membership.objects.get(person=anne.person, organisation=org("HOD"))
    second = Membership.objects.get(person=bjorn.person, organisation=org("HOD"))
    client.post(f"/krise/{crisis.pk}/roller/", {"role-role": "leader", "role-membership": first.pk})
    response = client.post(
        f"/krise/{crisis.pk}/roller/",
        {"role-role": "leader", "role-membership": second.pk, "role-note": "Tre åpne saker"},
        follow=True,
    )
    rows = list(
        CrisisRoleAssignment.objects.filter(crisis=crisis, role="leader").order_by("started_at")
    )
    assert [r.person for r in rows] == [anne.person, bjorn.person]
    assert (
        rows[0].ended_at and rows[0].handover_note == "Tre åpne saker" and rows[1].ended_at is None
    )
    page = response.content.decode()
    current = page.split('id="role-rows"')[1].split("</ul>")[0]
    assert "Bjorn" in current and "Anne" not in current
    assert "Tre åpne saker" in page  # shown among past holders
    assert crisis.log_entries.filter(
        kind="role", text__contains="overlevert fra Anne til Bjorn"
    ).exists()


def test_a_member_hands_over_only_within_their_own_organisation(crisis, bodo_reporter, bodo, org):
    from beredskap.operations.services.crises import grant_participants

    grant_participants(by=None, crisis=crisis, organisations=[bodo], reason="deltaker")
    colleague = make_user("kollega", bodo)
    stranger = make_user("fremmed", org("FHI"))
    client = verified_client(bodo_reporter)
    page = client.get(f"/krise/{crisis.pk}/").content.decode()
    form = page.split("Tildel eller overlever kriserolle")[1].split("</form>")[0]
    assert "Kollega (Bodø kommune)" in form and "Fremmed" not in form
    outside = Membership.objects.get(person=stranger.person)
    client.post(
        f"/krise/{crisis.pk}/roller/", {"role-role": "leader", "role-membership": outside.pk}
    )
    assert not CrisisRoleAssignment.objects.exists()
    own = Membership.objects.get(person=colleague.person)
    client.post(
        f"/krise/{crisis.pk}/roller/", {"role-role": "log_keeper", "role-membership": own.pk}
    )
    assert CrisisRoleAssignment.objects.get().person == colleague.person


def test_the_service_refuses_a_role_for_someone_outside_the_organisation(crisis, coordinator, org):
    import pytest
    from django.core.exceptions import ValidationError

    stranger = make_user("fremmed", org("FHI"))
    with pytest.raises(ValidationError, match="ikke registrert"):
        activation.hand_over_role(
            by=coordinator,
            crisis=crisis,
            organisation=org("HOD"),
            role="leader",
            person=stranger.person,
        )


def test_a_proposal_line_is_adjusted_on_the_page_within_availability(market, crisis, coordinator):
    high, low, near, far = market
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    line = proposal.lines.get()
    client = verified_client(coordinator)
    page = client.get(f"/krise/{crisis.pk}/arbeid/").content.decode()
    assert f"/fordeling/linje/{line.pk}/" in page
    url = f"/krise/{crisis.pk}/fordeling/linje/{line.pk}/"
    response = client.post(
        url, {f"line{line.pk}-version": proposal.version, f"line{line.pk}-quantity": 6}, follow=True
    )
    line.refresh_from_db()
    assert line.quantity == 5 and "overstiger" in response.content.decode()
    client.post(url, {f"line{line.pk}-version": proposal.version, f"line{line.pk}-quantity": 3})
    line.refresh_from_db()
    proposal.refresh_from_db()
    assert line.quantity == 3 and proposal.version == 2
    assert crisis.log_entries.filter(kind="allocation", text__contains="justert").exists()
    # an approval from the page as it was before the adjustment is stale
    response = client.post(
        f"/krise/{crisis.pk}/fordeling/{proposal.pk}/godkjenn/", {"version": 1}, follow=True
    )
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    client.post(
        f"/krise/{crisis.pk}/fordeling/{proposal.pk}/godkjenn/", {"version": proposal.version}
    )
    proposal.refresh_from_db()
    assert proposal.status == "approved" and Deployment.objects.get().line.quantity == 3
    # an approved proposal can no longer be adjusted
    response = client.post(
        url, {f"line{line.pk}-version": proposal.version, f"line{line.pk}-quantity": 1}, follow=True
    )
    line.refresh_from_db()
    assert line.quantity == 3 and "Bare forslag som ikke er behandlet" in response.content.decode()


def test_a_deployment_is_ended_on_the_page_once(market, crisis, coordinator, bodo_reporter):
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    resources.approve_proposal(by=coordinator, proposal=proposal, expected_version=proposal.version)
    deployment = Deployment.objects.get()
    client = verified_client(coordinator)
    page = client.get(f"/krise/{crisis.pk}/arbeid/").content.decode()
    assert "Avslutt utsendelse" in page
    url = f"/krise/{crisis.pk}/utsendelser/{deployment.pk}/avslutt/"
    response = client.post(
        url, {"version": deployment.version, "note": "Hjemme igjen"}, follow=True
    )
    deployment.refresh_from_db()
    assert deployment.ended_at and deployment.note == "Hjemme igjen"
    rows = response.content.decode().split('id="deployment-rows"')[1].split("</tbody>")[0]
    assert "Hjemme igjen" in rows and "Avslutt utsendelse" not in rows
    assert crisis.log_entries.filter(kind="deployment", text__contains="Hjemme igjen").exists()
    response = client.post(url, {"version": deployment.version, "note": "igjen"}, follow=True)
    assert "allerede avsluttet" in response.content.decode()


def test_an_outsider_cannot_end_a_deployment_of_a_crisis_they_cannot_see(
    market, crisis, coordinator, org
):
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    resources.approve_proposal(by=coordinator, proposal=proposal, expected_version=proposal.version)
    deployment = Deployment.objects.get()
    outsider = verified_client(
        make_user("ute", org("Oslo kommune"), role="administrator", clearance=1)
    )
    assert (
        outsider.post(
            f"/krise/{crisis.pk}/utsendelser/{deployment.pk}/avslutt/",
            {"version": deployment.version},
        ).status_code
        == 404
    )
    deployment.refresh_from_db()
    assert deployment.ended_at is None


def test_every_form_on_the_crisis_and_work_pages_has_unique_field_ids(crisis, coordinator):
    import re

    client = verified_client(coordinator)
    for url in (f"/krise/{crisis.pk}/", f"/krise/{crisis.pk}/arbeid/"):
        ids = re.findall(r'\sid="(id_[^"]+)"', client.get(url).content.decode())
        assert ids and len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_the_prefixed_forms_still_post_level_activation_request_and_offer(crisis, coordinator, org):
    from datetime import timedelta

    from django.utils import timezone

    from beredskap.core.models import Municipality

    client = verified_client(coordinator)
    client.post(
        f"/krise/{crisis.pk}/niva/",
        {
            "level-version": crisis.version,
            "level-level": "war",
            "level-phase": "response",
            "level-reason": "Forverring",
        },
    )
    crisis.refresh_from_db()
    assert crisis.level == "war"
    council = Body.objects.get(slug="helseberedskapsradet")
    client.post(
        f"/krise/{crisis.pk}/aktiver/", {"activation-body": council.pk, "activation-reason": "Møte"}
    )
    assert crisis.activations.filter(body=council).exists()
    bodo = Municipality.objects.get(number="1804")
    deadline = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/krise/{crisis.pk}/foresporsler/",
        {
            "request-requested_by": org("Bodø kommune").pk,
            "request-kind": "personnel",
            "request-item": "Lege",
            "request-competence": "Akuttmedisin",
            "request-quantity": 2,
            "request-location": bodo.pk,
            "request-priority": 4,
            "request-deadline": deadline,
        },
    )
    assert crisis.requests.get().competence == "Akuttmedisin"
    client.post(
        f"/krise/{crisis.pk}/tilbud/",
        {
            "offer-organisation": org("Nordlandssykehuset HF").pk,
            "offer-kind": "personnel",
            "offer-item": "Lege",
            "offer-quantity": 1,
            "offer-location": bodo.pk,
        },
    )
    assert crisis.offers.get().quantity == 1


def test_only_the_owner_or_a_coordinator_gets_the_done_button_for_a_task(
    crisis, coordinator, org, bodo_reporter
):
    from datetime import timedelta

    from django.utils import timezone

    from beredskap.operations.services import decisions, sitreps

    sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Daglig",
        due_time=timezone.localtime().time(),
        starts_on=timezone.localdate(),
        org_kinds=["municipality"],
    )
    task = decisions.create_task(
        by=coordinator,
        crisis=crisis,
        title="Kartlegg sykehjem",
        owner_org=org("Bodø kommune"),
        due_at=timezone.now() + timedelta(days=1),
    )
    other = decisions.create_task(
        by=coordinator,
        crisis=crisis,
        title="Fordel vaksiner",
        owner_org=org("FHI"),
        due_at=timezone.now() + timedelta(days=1),
    )
    page = verified_client(bodo_reporter).get(f"/krise/{crisis.pk}/arbeid/").content.decode()
    mine, theirs = (
        page.split(title)[1].split("</li>")[0] for title in ("Kartlegg sykehjem", "Fordel vaksiner")
    )
    assert 'value="done"' in mine and 'value="done"' not in theirs
    assert (
        verified_client(coordinator)
        .get(f"/krise/{crisis.pk}/arbeid/")
        .content.decode()
        .count('value="done"')
        == 2
    )
    assert task.pk != other.pk
