"""Resource requests, offers, optimised allocation proposals, approval and deployments."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Organisation
from beredskap.core.audit import acting_as
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import Municipality
from beredskap.operations import allocation, reserve
from beredskap.operations.models import (
    AllocationLine,
    AllocationProposal,
    Crisis,
    Deployment,
    ResourceOffer,
    ResourceRequest,
)
from beredskap.operations.models.resources import ProposalStatus, RequestStatus, ResourceKind
from beredskap.operations.permissions import (
    is_coordinator,
    reports_for,
    require_coordinator,
    require_open,
)
from beredskap.operations.services import mobilisation
from beredskap.operations.services.crises import grant_participants, log


def _check_org(by: Any, crisis: Crisis, organisation: Organisation) -> None:
    if not (reports_for(by, organisation) or is_coordinator(by, crisis)):
        raise PermissionDenied(_("Du kan bare melde behov eller tilbud for din egen organisasjon."))


def create_request(
    *,
    by: Any,
    crisis: Crisis,
    requested_by: Organisation,
    kind: str,
    item: str,
    quantity: int,
    location: Municipality,
    priority: int,
    deadline: datetime,
    competence: str = "",
) -> ResourceRequest:
    """Request personnel, stock, patient transfer or blood."""
    require_open(crisis)
    _check_org(by, crisis, requested_by)
    if kind not in ResourceKind.values:
        raise ValidationError({"kind": _("Ukjent ressurstype.")})
    if quantity < 1 or not 1 <= priority <= 5:
        raise ValidationError(_("Antall må være minst 1 og prioritet mellom 1 og 5."))
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("Fristen må være fram i tid.")})
    with acting_as(by), transaction.atomic():
        request = ResourceRequest.objects.create(
            crisis=crisis,
            requested_by=requested_by,
            kind=kind,
            item=item.strip(),
            competence=competence.strip(),
            quantity=quantity,
            location=location,
            priority=priority,
            deadline=deadline,
        )
        log(
            crisis=crisis,
            by=by,
            kind="request",
            text=_("%(o)s ber om %(r)s.") % {"o": requested_by.name, "r": request},
        )
    return request


def create_offer(
    *,
    by: Any,
    crisis: Crisis,
    organisation: Organisation,
    kind: str,
    item: str,
    quantity: int,
    location: Municipality,
    max_distance_km: int | None = None,
) -> ResourceOffer:
    """Offer a resource, with how far it may travel."""
    require_open(crisis)
    _check_org(by, crisis, organisation)
    if kind not in ResourceKind.values or quantity < 1:
        raise ValidationError(_("Oppgi type og et antall på minst 1."))
    with acting_as(by), transaction.atomic():
        return ResourceOffer.objects.create(
            crisis=crisis,
            organisation=organisation,
            kind=kind,
            item=item.strip(),
            quantity=quantity,
            location=location,
            max_distance_km=max_distance_km,
        )


def committed(offer_ids: list[int]) -> dict[int, int]:
    """Units of each offer already given away in approved proposals."""
    rows = (
        AllocationLine.objects.filter(
            offer_id__in=offer_ids, proposal__status=ProposalStatus.APPROVED
        )
        .values("offer_id")
        .annotate(total=Sum("quantity"))
    )
    return {r["offer_id"]: r["total"] for r in rows}


def covered(request_ids: list[int]) -> dict[int, int]:
    rows = (
        AllocationLine.objects.filter(
            request_id__in=request_ids, proposal__status=ProposalStatus.APPROVED
        )
        .values("request_id")
        .annotate(total=Sum("quantity"))
    )
    return {r["request_id"]: r["total"] for r in rows}


def deployed_reservists(person_ids: Any = None) -> set[int]:
    """Reserve persons out on a deployment that has not ended."""
    qs = Deployment.objects.filter(ended_at=None, line__reserve__isnull=False)
    if person_ids is not None:
        qs = qs.filter(line__reserve_id__in=person_ids)
    return set(qs.values_list("line__reserve_id", flat=True))


def _item(kind: str, item: str) -> str:
    """Personnel requests and offers name a profession in words («Intensivsykepleier») or by code;
    both are matched with the reserve registry's profession codes."""
    text = item.strip().lower()
    if kind != ResourceKind.PERSONNEL:
        return text
    return reserve.profession_codes().get(text, text)


def _problem(
    by: Any, crisis: Crisis
) -> tuple[list[allocation.Need], list[allocation.Supply], dict[Any, list[int]]]:
    requests = list(
        crisis.requests.filter(
            status__in=[RequestStatus.OPEN, RequestStatus.PARTLY]
        ).select_related("location__county__health_region")
    )
    offers = list(crisis.offers.select_related("location"))
    done, used = covered([r.pk for r in requests]), committed([o.pk for o in offers])
    needs = [
        allocation.Need(
            r.pk,
            r.kind,
            _item(r.kind, r.item),
            r.quantity - done.get(r.pk, 0),
            r.priority,
            r.location.lat,
            r.location.lon,
            region=r.location.county.health_region.code,
            competence=r.competence,
        )
        for r in requests
        if r.quantity > done.get(r.pk, 0)
    ]
    supplies = [
        allocation.Supply(
            ("offer", o.pk),
            o.kind,
            _item(o.kind, o.item),
            o.quantity - used.get(o.pk, 0),
            o.location.lat,
            o.location.lon,
            o.max_distance_km,
        )
        for o in offers
        if o.quantity > used.get(o.pk, 0)
    ]
    members: dict[Any, list[int]] = {}
    if any(n.kind == ResourceKind.PERSONNEL for n in needs):
        busy = deployed_reservists() | mobilisation.pending_reservists()
        people = reserve.available_reservists(by, exclude=busy)
        reserve_supplies, members = allocation.reserve_supplies(people, reserve.region_centroids())
        supplies += reserve_supplies
    return needs, supplies, members


def propose_allocation(*, by: Any, crisis: Crisis) -> AllocationProposal:
    """Compute an allocation proposal with HiGHS over organisations' offers and the reserve registry
    (each person's willingness to travel respected), with the greedy baseline stored beside it."""
    require_coordinator(by, crisis)
    require_open(crisis)
    needs, supplies, members = _problem(by, crisis)
    if not needs or not supplies:
        raise ValidationError(_("Ingen åpne forespørsler eller ledige tilbud å fordele."))
    best, base = allocation.optimise(needs, supplies), allocation.greedy(needs, supplies)
    if not best.flows:
        raise ValidationError(
            _(
                "Ingen tilbud eller reservepersonell passer de åpne forespørslene "
                "(type, yrke, kompetanse, region eller reiseavstand)."
            )
        )
    distances = {
        (needs[i].key, supplies[j].key): d for i, j, d in allocation.pairs(needs, supplies)
    }
    named = allocation.hand_out(best.flows, members)
    labels = reserve.labels([p for persons in named.values() for p in persons])
    with acting_as(by), transaction.atomic():
        proposal = AllocationProposal.objects.create(
            crisis=crisis,
            created_by=by,
            objective=round(best.objective, 3),
            greedy_objective=round(base.objective, 3),
            fulfilment=round(best.fulfilment, 4),
            greedy_fulfilment=round(base.fulfilment, 4),
        )
        lines = []
        for (nk, sk), q in best.flows.items():
            km = round(distances[(nk, sk)], 1)
            if sk in members:
                lines += [
                    AllocationLine(
                        proposal=proposal,
                        request_id=cast(int, nk),
                        reserve_id=p,
                        reserve_label=labels[p],
                        quantity=1,
                        distance_km=km,
                    )
                    for p in named[(nk, sk)]
                ]
            else:
                lines.append(
                    AllocationLine(
                        proposal=proposal,
                        request_id=cast(int, nk),
                        offer_id=cast(tuple, sk)[1],
                        quantity=q,
                        distance_km=km,
                    )
                )
        AllocationLine.objects.bulk_create(lines, batch_size=1000)
        from_reserve = sum(1 for line in lines if line.offer_id is None)
        log(
            crisis=crisis,
            by=by,
            kind="allocation",
            text=_(
                "Fordelingsforslag: målverdi %(o).1f (grådig %(g).1f), dekning %(f).0f %% "
                "(grådig %(gf).0f %%); %(r)s fra reserveregisteret."
            )
            % {
                "o": best.objective,
                "g": base.objective,
                "f": best.fulfilment * 100,
                "gf": base.fulfilment * 100,
                "r": from_reserve,
            },
        )
    return proposal


def adjust_line(
    *, by: Any, line: AllocationLine, quantity: int, expected_version: int | None = None
) -> AllocationLine:
    """A coordinator adjusts a proposed line before approval. The proposal's lines together may
    never exceed what is left of the offer or of the request; the proposal's version moves on, so an
    approval made from an older view of it is refused."""
    proposal = line.proposal
    require_coordinator(by, proposal.crisis)
    require_open(proposal.crisis)
    with acting_as(by), transaction.atomic():
        fresh = AllocationProposal.objects.select_for_update().get(pk=proposal.pk)
        if fresh.status != ProposalStatus.PROPOSED:
            raise ValidationError(
                _("Bare forslag som ikke er behandlet kan justeres."), code="conflict"
            )
        line = AllocationLine.objects.select_related("request", "offer").get(pk=line.pk)
        if quantity < 0:
            raise ValidationError({"quantity": _("Antallet kan ikke være negativt.")})
        others = fresh.lines.exclude(pk=line.pk)
        request_left = (
            line.request.quantity
            - covered([line.request_id]).get(line.request_id, 0)
            - (others.filter(request_id=line.request_id).aggregate(n=Sum("quantity"))["n"] or 0)
        )
        if quantity > request_left:
            raise ValidationError(
                {
                    "quantity": _("Antallet overstiger det som gjenstår av forespørselen (%(n)s).")
                    % {"n": max(request_left, 0)}
                }
            )
        limit = _supply_left(line, others)
        if quantity > limit:
            raise ValidationError(
                {
                    "quantity": _("Antallet overstiger det som er tilgjengelig (%(n)s).")
                    % {"n": max(limit, 0)}
                }
            )
        before = line.quantity
        line.quantity = quantity
        line.save()
        fresh.version = fresh.version if expected_version is None else expected_version
        fresh.save()
        log(
            crisis=fresh.crisis,
            by=by,
            kind="allocation",
            text=_("Fordelingsforslag #%(p)s justert: %(r)s fra %(a)s til %(b)s.")
            % {"p": fresh.pk, "r": line.request.item, "a": before, "b": quantity},
        )
    return line


def _supply_left(line: AllocationLine, others: Any) -> int:
    """What the line's source can still give beside the proposal's other lines."""
    if line.is_reserve:
        busy = deployed_reservists([line.reserve_id]) | mobilisation.pending_reservists(
            [line.reserve_id]
        )
        if line.reserve_id is None or busy:
            return 0
        return 0 if others.filter(reserve_id=line.reserve_id, quantity__gt=0).exists() else 1
    offer = line.offer
    return (
        offer.quantity
        - committed([offer.pk]).get(offer.pk, 0)
        - (others.filter(offer_id=offer.pk).aggregate(n=Sum("quantity"))["n"] or 0)
    )


def approve_proposal(
    *, by: Any, proposal: AllocationProposal, expected_version: int
) -> AllocationProposal:
    """Approve a proposal. Offers are locked; if another approval used the same units first, this
    one is refused with the reason (two coordinators at once: one wins, the other is told)."""
    require_coordinator(by, proposal.crisis)
    require_open(proposal.crisis)
    with acting_as(by), transaction.atomic():
        lines = list(proposal.lines.select_related("offer__organisation", "request__requested_by"))
        offer_ids = sorted({line.offer_id for line in lines if line.offer_id})
        list(ResourceOffer.objects.select_for_update().filter(pk__in=offer_ids).order_by("pk"))
        reserve.lock([line.reserve_id for line in lines if line.reserve_id])
        fresh = AllocationProposal.objects.select_for_update().get(pk=proposal.pk)
        if fresh.status != ProposalStatus.PROPOSED:
            raise ValidationError(
                _("Forslaget er allerede behandlet av en annen koordinator."), code="conflict"
            )
        _check_capacity(by, lines)
        proposal.status, proposal.decided_by, proposal.version = (
            ProposalStatus.APPROVED,
            by,
            expected_version,
        )
        proposal.save()
        now = timezone.now()
        Deployment.objects.bulk_create(
            [
                Deployment(line=line, started_at=now)
                for line in lines
                if line.offer_id and line.quantity
            ]
        )
        asked = mobilisation.ask_for_lines(
            [line for line in lines if line.is_reserve and line.quantity], now=now
        )
        update_requests({line.request for line in lines})
        parties = {line.request.requested_by for line in lines} | {
            line.offer.organisation for line in lines if line.offer_id
        }
        grant_participants(
            by=by,
            crisis=proposal.crisis,
            organisations=sorted(parties, key=lambda o: o.pk),
            reason=_("Part i ressursfordelingen"),
        )
        log(
            crisis=proposal.crisis,
            by=by,
            kind="allocation",
            text=_(
                "Fordelingsforslag godkjent (%(n)s linjer); %(a)s reservepersoner er spurt og "
                "sendes først ut når de takker ja."
            )
            % {"n": len(lines), "a": len(asked)},
        )
    return proposal


def _check_capacity(by: Any, lines: list[AllocationLine]) -> None:
    """Refuse an approval that would exceed an offer, a request or use an unavailable reserve
    person."""
    _check_reservists(by, [line for line in lines if line.is_reserve and line.quantity])
    used = committed([line.offer_id for line in lines if line.offer_id])
    done = covered([line.request_id for line in lines])
    want_offer: dict[int, int] = {}
    want_request: dict[int, int] = {}
    for line in lines:
        if line.offer_id:
            want_offer[line.offer_id] = want_offer.get(line.offer_id, 0) + line.quantity
        want_request[line.request_id] = want_request.get(line.request_id, 0) + line.quantity
    for line in lines:
        if (
            line.offer_id
            and used.get(line.offer_id, 0) + want_offer[line.offer_id] > line.offer.quantity
        ):
            raise ValidationError(
                _(
                    "Tilbudet fra %(o)s er ikke lenger tilgjengelig i dette omfanget; "
                    "lag et nytt forslag."
                )
                % {"o": line.offer.organisation.name},
                code="conflict",
            )
        if done.get(line.request_id, 0) + want_request[line.request_id] > line.request.quantity:
            raise ValidationError(
                _("Forespørselen «%(r)s» er allerede dekket.") % {"r": line.request},
                code="conflict",
            )


def _check_reservists(by: Any, lines: list[AllocationLine]) -> None:
    """Each named reserve person must still be registered, available and not out on another
    deployment."""
    if any(line.reserve_id is None for line in lines):
        raise ValidationError(
            _("En reserveperson i forslaget er ikke lenger registrert; lag et nytt forslag."),
            code="conflict",
        )
    ids = [line.reserve_id for line in lines if line.reserve_id is not None]
    busy = deployed_reservists(ids) | mobilisation.pending_reservists(ids)
    gone = set(ids) - reserve.still_available(by, ids)
    if busy or gone or len(set(ids)) != len(ids):
        raise ValidationError(
            _(
                "%(n)s reservepersoner i forslaget er ikke lenger tilgjengelige; lag et nytt "
                "forslag."
            )
            % {"n": len(busy | gone) or 1},
            code="conflict",
        )


def deployed_units(request_ids: list[int]) -> dict[int, int]:
    """Units of each request actually on their way: deployments (an offer's units on approval,
    a reserve person only once she has accepted)."""
    rows = (
        Deployment.objects.filter(line__request_id__in=request_ids)
        .values("line__request_id")
        .annotate(total=Sum("line__quantity"))
    )
    return {r["line__request_id"]: r["total"] for r in rows}


def update_requests(requests: set[ResourceRequest]) -> None:
    """A request's status follows what is actually deployed, never what was merely asked for."""
    done = deployed_units([r.pk for r in requests])
    for request in requests:
        got = done.get(request.pk, 0)
        request.status = (
            RequestStatus.FILLED
            if got >= request.quantity
            else (RequestStatus.PARTLY if got else RequestStatus.OPEN)
        )
        request.save()


def end_deployment(
    *, by: Any, deployment: Deployment, expected_version: int, note: str = ""
) -> Deployment:
    """End a deployment (the personnel are home, the stock delivered); logged in the crisis log."""
    crisis = deployment.line.proposal.crisis
    require_coordinator(by, crisis)
    if deployment.ended_at:
        raise ValidationError(_("Utsendelsen er allerede avsluttet."), code="conflict")
    with acting_as(by), transaction.atomic():
        deployment.ended_at = timezone.now()
        deployment.note = note.strip()[:300]
        deployment.version = expected_version
        deployment.save()
        log(
            crisis=crisis,
            by=by,
            kind="deployment",
            text=_("Utsendelse avsluttet: %(q)s × %(i)s til %(l)s. %(n)s")
            % {
                "q": deployment.line.quantity,
                "i": deployment.line.request.item,
                "l": deployment.line.request.location.name,
                "n": note.strip(),
            },
        )
    return deployment
