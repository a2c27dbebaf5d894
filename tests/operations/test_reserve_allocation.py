"""Reserve personnel (capacity's registry) as supply in the allocation: willingness to travel,
availability, competence, named persons on approval, conflicts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from beredskap.capacity.models import ReserveVolunteer
from beredskap.core.models import HealthRegion, Municipality
from beredskap.operations import allocation
from beredskap.operations.models import AllocationLine, Deployment, MobilisationRequest
from beredskap.operations.services import mobilisation, resources
from tests.factories import make_user, verified_client


def volunteer(username, region, profession="icu_nurse", **kw):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return ReserveVolunteer.objects.create(
        user=make_user(username),
        profession=profession,
        health_region=HealthRegion.objects.get(code=region),
        consent_given_at=now,
        confirmed_at=now,
        **kw,
    )


def accepts(person):  # type: ignore[no-untyped-def]
    """The person answers yes to her open request."""
    mob = MobilisationRequest.objects.get(reserve=person, status="asked")
    return mobilisation.answer(by=person.user, mob=mob, accept=True)


def ask(coordinator, crisis, org, number="1804", quantity=2, item="Intensivsykepleier", **kw):  # type: ignore[no-untyped-def]
    return resources.create_request(
        by=coordinator,
        crisis=crisis,
        requested_by=org("Bodø kommune"),
        kind="personnel",
        item=item,
        quantity=quantity,
        location=Municipality.objects.get(number=number),
        priority=kw.pop("priority", 4),
        deadline=timezone.now() + timedelta(days=1),
        **kw,
    )


def test_reserve_persons_fill_a_request_only_when_in_region_or_willing_to_travel(
    crisis, coordinator, org
):
    north = volunteer("nina", "H05")
    traveller = volunteer("tor", "H12", willing_to_travel=True)
    stay_home = volunteer("sara", "H12")
    volunteer("lege", "H05", profession="physician")  # another profession
    request = ask(coordinator, crisis, org, quantity=3)  # Bodø is in Helse Nord
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    used = set(proposal.lines.values_list("reserve_id", flat=True))
    assert used == {north.pk, traveller.pk} and stay_home.pk not in used
    assert all(
        line.quantity == 1 and line.request_id == request.pk for line in proposal.lines.all()
    )
    near = proposal.lines.get(reserve=north)
    far = proposal.lines.get(reserve=traveller)
    assert (
        near.distance_km < far.distance_km
    )  # Nordland from the north's centre vs from the south-east
    assert "Intensivsykepleier #" in near.reserve_label and "Nord" in near.reserve_label
    assert "nina" not in near.reserve_label.lower()  # no identity in the proposal
    assert proposal.fulfilment == pytest.approx(2 / 3, abs=1e-3)
    assert proposal.objective >= proposal.greedy_objective


def test_unavailable_expired_or_out_of_date_persons_are_not_proposed(crisis, coordinator, org):
    volunteer("opptatt", "H05", availability="unavailable")
    old = volunteer("gammel", "H05")
    ReserveVolunteer.objects.filter(pk=old.pk).update(
        confirmed_at=timezone.now() - timedelta(days=400)
    )
    volunteer("senere", "H05", available_from=timezone.localdate() + timedelta(days=10))
    ask(coordinator, crisis, org)
    with pytest.raises(ValidationError, match="Ingen (tilbud|åpne)"):
        resources.propose_allocation(by=coordinator, crisis=crisis)


def test_a_stated_competence_must_be_among_the_persons_specialities(crisis, coordinator, org):
    plain = volunteer("vanlig", "H05", specialities="intensiv")
    ecmo = volunteer("ecmo", "H05", specialities="Intensiv, ECMO")
    ask(coordinator, crisis, org, quantity=2, competence="ecmo")
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    assert list(proposal.lines.values_list("reserve_id", flat=True)) == [ecmo.pk] != [plain.pk]


def test_offers_and_the_reserve_combine_and_the_profession_code_matches_words(
    crisis, coordinator, org
):
    nina = volunteer("nina", "H05", profession="nurse")
    request = ask(coordinator, crisis, org, quantity=3, item="sykepleier")
    offer = resources.create_offer(
        by=coordinator,
        crisis=crisis,
        organisation=org("Nordlandssykehuset HF"),
        kind="personnel",
        item="Sykepleier",
        quantity=2,
        location=Municipality.objects.get(number="1804"),
    )
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    lines = {(line.offer_id, line.reserve_id): line.quantity for line in proposal.lines.all()}
    assert lines == {(offer.pk, None): 2, (None, nina.pk): 1}
    resources.approve_proposal(by=coordinator, proposal=proposal, expected_version=proposal.version)
    request.refresh_from_db()
    assert request.status == "partly" and Deployment.objects.count() == 1  # nina is only asked
    accepts(nina)
    request.refresh_from_db()
    assert request.status == "filled" and Deployment.objects.count() == 2


def test_a_deployed_person_is_not_proposed_again_until_the_deployment_ends(
    crisis, coordinator, org
):
    nina = volunteer("nina", "H05")
    ask(coordinator, crisis, org, quantity=1)
    first = resources.propose_allocation(by=coordinator, crisis=crisis)
    resources.approve_proposal(by=coordinator, proposal=first, expected_version=first.version)
    ask(coordinator, crisis, org, number="1806", quantity=1)
    with pytest.raises(ValidationError, match="Ingen (tilbud|åpne)"):
        resources.propose_allocation(by=coordinator, crisis=crisis)  # asked: not free
    accepts(nina)
    with pytest.raises(ValidationError, match="Ingen (tilbud|åpne)"):
        resources.propose_allocation(by=coordinator, crisis=crisis)  # deployed: not free
    deployment = Deployment.objects.get(line__reserve=nina)
    resources.end_deployment(
        by=coordinator, deployment=deployment, expected_version=deployment.version
    )
    again = resources.propose_allocation(by=coordinator, crisis=crisis)
    assert list(again.lines.values_list("reserve_id", flat=True)) == [nina.pk]


def test_two_proposals_naming_the_same_person_one_approval_wins(crisis, coordinator, org):
    volunteer("nina", "H05")
    ask(coordinator, crisis, org, quantity=1)
    first = resources.propose_allocation(by=coordinator, crisis=crisis)
    ask(coordinator, crisis, org, number="1806", quantity=1, priority=5)
    second = resources.propose_allocation(by=coordinator, crisis=crisis)
    assert set(first.lines.values_list("reserve_id", flat=True)) == set(
        second.lines.values_list("reserve_id", flat=True)
    )
    resources.approve_proposal(by=coordinator, proposal=first, expected_version=first.version)
    with pytest.raises(ValidationError, match="ikke lenger tilgjengelige") as refused:
        resources.approve_proposal(by=coordinator, proposal=second, expected_version=second.version)
    assert refused.value.code == "conflict"
    second.refresh_from_db()
    assert second.status == "proposed"


def test_a_person_who_withdraws_consent_before_approval_blocks_the_stale_proposal(
    crisis, coordinator, org
):
    from beredskap.capacity.services.personnel import withdraw_consent

    nina = volunteer("nina", "H05")
    ask(coordinator, crisis, org, quantity=1)
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    withdraw_consent(by=nina.user)
    line = proposal.lines.get()
    assert line.reserve_id is None and "Intensivsykepleier" in line.reserve_label  # the label stays
    with pytest.raises(ValidationError, match="ikke lenger registrert"):
        resources.approve_proposal(
            by=coordinator, proposal=proposal, expected_version=proposal.version
        )


def test_a_reserve_line_can_be_dropped_but_not_raised_above_one(crisis, coordinator, org):
    volunteer("nina", "H05")
    volunteer("nils", "H05")
    ask(coordinator, crisis, org, quantity=2)
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    line = proposal.lines.first()
    with pytest.raises(ValidationError):
        resources.adjust_line(
            by=coordinator, line=line, quantity=2, expected_version=proposal.version
        )
    resources.adjust_line(by=coordinator, line=line, quantity=0, expected_version=proposal.version)
    proposal.refresh_from_db()
    resources.approve_proposal(by=coordinator, proposal=proposal, expected_version=proposal.version)
    assert MobilisationRequest.objects.count() == 1 and not Deployment.objects.exists()


def test_a_regional_coordinator_only_draws_on_reserve_they_may_search(make_crisis, org):
    """capacity's rule: an RHF's coordinators see their region plus those willing to travel."""
    from beredskap.operations.services.crises import declare_crisis

    west = make_user("vest", org("Helse Vest RHF"), role="administrator", clearance=1)
    crisis = declare_crisis(
        by=west,
        name="Vest",
        risk_area="infection",
        crisis_type="Pandemi",
        owner_org=org("Helse Vest RHF"),
        lead_ministry=org("HOD"),
    )
    north_home = volunteer("nina", "H05")
    north_traveller = volunteer("tor", "H05", willing_to_travel=True)
    resources.create_request(
        by=west,
        crisis=crisis,
        requested_by=org("Helse Vest RHF"),
        kind="personnel",
        item="icu_nurse",
        quantity=2,
        location=Municipality.objects.get(number="4601"),
        priority=3,
        deadline=timezone.now() + timedelta(days=1),
    )
    proposal = resources.propose_allocation(by=west, crisis=crisis)
    assert (
        list(proposal.lines.values_list("reserve_id", flat=True))
        == [north_traveller.pk]
        != [north_home.pk]
    )


def test_the_work_page_shows_reserve_lines_without_identity(crisis, coordinator, org):
    nina = volunteer("nina", "H05")
    ask(coordinator, crisis, org, quantity=1)
    resources.propose_allocation(by=coordinator, crisis=crisis)
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/arbeid/").content.decode()
    assert f"Reservepersonell: Intensivsykepleier #{nina.pk}" in page and "Nina" not in page


def test_reserve_lines_through_the_api(crisis, coordinator, org):
    import json

    from tests.factories import token_for

    nina = volunteer("nina", "H05", specialities="ECMO")
    client, headers = verified_client(coordinator), token_for(coordinator)
    made = client.post(
        f"/api/v1/crises/{crisis.pk}/requests",
        json.dumps(
            {
                "requested_by_id": org("Bodø kommune").pk,
                "kind": "personnel",
                "item": "Intensivsykepleier",
                "quantity": 1,
                "location_number": "1804",
                "priority": 5,
                "deadline": (timezone.now() + timedelta(days=1)).isoformat(),
                "competence": "ecmo",
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert made.status_code == 201
    proposal = client.post(
        f"/api/v1/crises/{crisis.pk}/allocations", "{}", content_type="application/json", **headers
    ).json()
    assert proposal["lines"] == [
        {
            "request_id": made.json()["id"],
            "offer_id": None,
            "quantity": 1,
            "reserve": f"Intensivsykepleier #{nina.pk} (Helse Nord)",
            "distance_km": proposal["lines"][0]["distance_km"],
        }
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["H05", "H12"]), st.booleans(), st.sampled_from(["", "ecmo"])),
        min_size=1,
        max_size=12,
    ),
    st.lists(
        st.tuples(
            st.integers(1, 4),
            st.integers(1, 5),
            st.sampled_from(["H05", "H12"]),
            st.sampled_from(["", "ecmo"]),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_grouping_persons_is_exact_and_willingness_is_never_broken(people, wants):
    """The grouped LP reaches the same optimum as one supply per person, never sends a person who
    stays home out of region, never uses anyone twice, and is never worse than greedy."""
    centroids = {"H05": (67.3, 14.4), "H12": (59.9, 10.7)}
    where = {"H05": (67.28, 14.40), "H12": (59.91, 10.75)}
    persons = [allocation.Reservist(k, "icu_nurse", r, t, s) for k, (r, t, s) in enumerate(people)]
    needs = [
        allocation.Need(100 + i, "personnel", "icu_nurse", q, p, *where[r], region=r, competence=c)
        for i, (q, p, r, c) in enumerate(wants)
    ]
    grouped, members = allocation.reserve_supplies(persons, centroids)
    single = [
        allocation.Supply(
            ("p", p.key),
            "personnel",
            "icu_nurse",
            1,
            *centroids[p.region],
            region=p.region,
            travels=p.travels,
            specialities=p.specialities,
        )
        for p in persons
    ]
    best, each = allocation.optimise(needs, grouped), allocation.optimise(needs, single)
    assert best.objective == pytest.approx(each.objective, abs=1e-6)
    assert best.objective >= allocation.greedy(needs, grouped).objective - 1e-9
    named = allocation.hand_out(best.flows, members)
    used = [k for ks in named.values() for k in ks]
    assert len(used) == len(set(used)) == sum(best.flows.values())
    by_key = {p.key: p for p in persons}
    need_of = {n.key: n for n in needs}
    for (nk, _sk), keys in named.items():
        for k in keys:
            person, need = by_key[k], need_of[nk]
            assert person.travels or person.region == need.region
            assert not need.competence or need.competence in person.specialities


def test_the_line_model_requires_a_source(crisis, coordinator, org):
    from django.db import IntegrityError, transaction

    from beredskap.operations.models import AllocationProposal

    request = ask(coordinator, crisis, org)
    proposal = AllocationProposal.objects.create(
        crisis=crisis, objective=0, greedy_objective=0, fulfilment=0, greedy_fulfilment=0
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationLine.objects.create(proposal=proposal, request=request, quantity=1, distance_km=0)
