"""Resource requests, offers, optimised allocation proposals, approval and deployments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Organisation
from beredskap.core.audit import acting_as
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import Municipality
from beredskap.operations import allocation
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
from beredskap.operations.services.crises import log


def _check_org(by: Any, crisis: Crisis, organisation: Organisation) -> None:
    if not (reports_for(by, organisation) or is_coordinator(by, crisis)):
        raise PermissionDenied(_("Du kan bare melde behov eller tilbud for din egen organisasjon."))


def create_request(*, by: Any, crisis: Crisis, requested_by: Organisation, kind: str, item: str, quantity: int,
                   location: Municipality, priority: int, deadline: datetime, competence: str = "") -> ResourceRequest:
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
        request = ResourceRequest.objects.create(crisis=crisis, requested_by=requested_by, kind=kind, item=item.strip(),
                                                 competence=competence.strip(), quantity=quantity, location=location,
                                                 priority=priority, deadline=deadline)
        log(crisis=crisis, by=by, kind="request", text=_("%(o)s ber om %(r)s.") % {"o": requested_by.name, "r": request})
    return request


def create_offer(*, by: Any, crisis: Crisis, organisation: Organisation, kind: str, item: str, quantity: int,
                 location: Municipality, max_distance_km: int | None = None) -> ResourceOffer:
    """Offer a resource, with how far it may travel."""
    require_open(crisis)
    _check_org(by, crisis, organisation)
    if kind not in ResourceKind.values or quantity < 1:
        raise ValidationError(_("Oppgi type og et antall på minst 1."))
    with acting_as(by), transaction.atomic():
        return ResourceOffer.objects.create(crisis=crisis, organisation=organisation, kind=kind, item=item.strip(),
                                            quantity=quantity, location=location, max_distance_km=max_distance_km)


def committed(offer_ids: list[int]) -> dict[int, int]:
    """Units of each offer already given away in approved proposals."""
    rows = (AllocationLine.objects.filter(offer_id__in=offer_ids, proposal__status=ProposalStatus.APPROVED)
            .values("offer_id").annotate(total=Sum("quantity")))
    return {r["offer_id"]: r["total"] for r in rows}


def covered(request_ids: list[int]) -> dict[int, int]:
    rows = (AllocationLine.objects.filter(request_id__in=request_ids, proposal__status=ProposalStatus.APPROVED)
            .values("request_id").annotate(total=Sum("quantity")))
    return {r["request_id"]: r["total"] for r in rows}


def _problem(crisis: Crisis) -> tuple[list[allocation.Need], list[allocation.Supply]]:
    requests = list(crisis.requests.filter(status__in=[RequestStatus.OPEN, RequestStatus.PARTLY])
                    .select_related("location"))
    offers = list(crisis.offers.select_related("location"))
    done, used = covered([r.pk for r in requests]), committed([o.pk for o in offers])
    needs = [allocation.Need(r.pk, r.kind, r.item, r.quantity - done.get(r.pk, 0), r.priority,
                             r.location.lat, r.location.lon) for r in requests if r.quantity > done.get(r.pk, 0)]
    supplies = [allocation.Supply(o.pk, o.kind, o.item, o.quantity - used.get(o.pk, 0), o.location.lat,
                                  o.location.lon, o.max_distance_km) for o in offers if o.quantity > used.get(o.pk, 0)]
    return needs, supplies


def propose_allocation(*, by: Any, crisis: Crisis) -> AllocationProposal:
    """Compute an allocation proposal with HiGHS, with the greedy baseline stored beside it."""
    require_coordinator(by, crisis)
    require_open(crisis)
    needs, supplies = _problem(crisis)
    if not needs or not supplies:
        raise ValidationError(_("Ingen åpne forespørsler eller ledige tilbud å fordele."))
    best, base = allocation.optimise(needs, supplies), allocation.greedy(needs, supplies)
    distances = {(i, j): d for i, j, d in allocation.pairs(needs, supplies)}
    index_n = {n.key: i for i, n in enumerate(needs)}
    index_s = {s.key: j for j, s in enumerate(supplies)}
    with acting_as(by), transaction.atomic():
        proposal = AllocationProposal.objects.create(
            crisis=crisis, created_by=by, objective=round(best.objective, 3), greedy_objective=round(base.objective, 3),
            fulfilment=round(best.fulfilment, 4), greedy_fulfilment=round(base.fulfilment, 4))
        AllocationLine.objects.bulk_create([
            AllocationLine(proposal=proposal, request_id=nk, offer_id=sk, quantity=q,
                           distance_km=round(distances[(index_n[nk], index_s[sk])], 1))
            for (nk, sk), q in best.flows.items()])
        log(crisis=crisis, by=by, kind="allocation",
            text=_("Fordelingsforslag: målverdi %(o).1f (grådig %(g).1f), dekning %(f).0f %% (grådig %(gf).0f %%).")
            % {"o": best.objective, "g": base.objective, "f": best.fulfilment * 100, "gf": base.fulfilment * 100})
    return proposal


def adjust_line(*, by: Any, line: AllocationLine, quantity: int,
                expected_version: int | None = None) -> AllocationLine:
    """A coordinator adjusts a proposed line before approval. The proposal's lines together may
    never exceed what is left of the offer or of the request; the proposal's version moves on, so an
    approval made from an older view of it is refused."""
    proposal = line.proposal
    require_coordinator(by, proposal.crisis)
    require_open(proposal.crisis)
    with acting_as(by), transaction.atomic():
        fresh = AllocationProposal.objects.select_for_update().get(pk=proposal.pk)
        if fresh.status != ProposalStatus.PROPOSED:
            raise ValidationError(_("Bare forslag som ikke er behandlet kan justeres."), code="conflict")
        line = AllocationLine.objects.select_related("request", "offer").get(pk=line.pk)
        if quantity < 0:
            raise ValidationError({"quantity": _("Antallet kan ikke være negativt.")})
        others = fresh.lines.exclude(pk=line.pk)
        request_left = line.request.quantity - covered([line.request_id]).get(line.request_id, 0) - (
            others.filter(request_id=line.request_id).aggregate(n=Sum("quantity"))["n"] or 0)
        if quantity > request_left:
            raise ValidationError({"quantity": _("Antallet overstiger det som gjenstår av forespørselen (%(n)s).")
                                   % {"n": max(request_left, 0)}})
        limit = _supply_left(line, others)
        if quantity > limit:
            raise ValidationError({"quantity": _("Antallet overstiger det som er tilgjengelig (%(n)s).")
                                   % {"n": max(limit, 0)}})
        before = line.quantity
        line.quantity = quantity
        line.save()
        fresh.version = fresh.version if expected_version is None else expected_version
        fresh.save()
        log(crisis=fresh.crisis, by=by, kind="allocation",
            text=_("Fordelingsforslag #%(p)s justert: %(r)s fra %(a)s til %(b)s.")
            % {"p": fresh.pk, "r": line.request.item, "a": before, "b": quantity})
    return line


def _supply_left(line: AllocationLine, others: Any) -> int:
    """What the line's source can still give beside the proposal's other lines."""
    offer = line.offer
    return offer.quantity - committed([offer.pk]).get(offer.pk, 0) - (
        others.filter(offer_id=offer.pk).aggregate(n=Sum("quantity"))["n"] or 0)


def approve_proposal(*, by: Any, proposal: AllocationProposal, expected_version: int) -> AllocationProposal:
    """Approve a proposal. Offers are locked; if another approval used the same units first, this
    one is refused with the reason (two coordinators at once: one wins, the other is told)."""
    require_coordinator(by, proposal.crisis)
    require_open(proposal.crisis)
    with acting_as(by), transaction.atomic():
        lines = list(proposal.lines.select_related("offer", "request"))
        offer_ids = sorted({line.offer_id for line in lines})
        list(ResourceOffer.objects.select_for_update().filter(pk__in=offer_ids).order_by("pk"))
        fresh = AllocationProposal.objects.select_for_update().get(pk=proposal.pk)
        if fresh.status != ProposalStatus.PROPOSED:
            raise ValidationError(_("Forslaget er allerede behandlet av en annen koordinator."), code="conflict")
        _check_capacity(lines)
        proposal.status, proposal.decided_by, proposal.version = ProposalStatus.APPROVED, by, expected_version
        proposal.save()
        now = timezone.now()
        Deployment.objects.bulk_create([Deployment(line=line, started_at=now) for line in lines if line.quantity])
        _update_requests({line.request for line in lines})
        log(crisis=proposal.crisis, by=by, kind="allocation", text=_("Fordelingsforslag godkjent (%(n)s linjer).")
            % {"n": len(lines)})
    return proposal


def _check_capacity(lines: list[AllocationLine]) -> None:
    used = committed([line.offer_id for line in lines])
    done = covered([line.request_id for line in lines])
    want_offer: dict[int, int] = {}
    want_request: dict[int, int] = {}
    for line in lines:
        want_offer[line.offer_id] = want_offer.get(line.offer_id, 0) + line.quantity
        want_request[line.request_id] = want_request.get(line.request_id, 0) + line.quantity
    for line in lines:
        if used.get(line.offer_id, 0) + want_offer[line.offer_id] > line.offer.quantity:
            raise ValidationError(_("Tilbudet fra %(o)s er ikke lenger tilgjengelig i dette omfanget; "
                                    "lag et nytt forslag.") % {"o": line.offer.organisation.name}, code="conflict")
        if done.get(line.request_id, 0) + want_request[line.request_id] > line.request.quantity:
            raise ValidationError(_("Forespørselen «%(r)s» er allerede dekket.") % {"r": line.request},
                                  code="conflict")


def _update_requests(requests: set[ResourceRequest]) -> None:
    done = covered([r.pk for r in requests])
    for request in requests:
        got = done.get(request.pk, 0)
        request.status = RequestStatus.FILLED if got >= request.quantity else (
            RequestStatus.PARTLY if got else RequestStatus.OPEN)
        request.save()


def end_deployment(*, by: Any, deployment: Deployment, expected_version: int, note: str = "") -> Deployment:
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
        log(crisis=crisis, by=by, kind="deployment",
            text=_("Utsendelse avsluttet: %(q)s × %(i)s til %(l)s. %(n)s")
            % {"q": deployment.line.quantity, "i": deployment.line.request.item,
               "l": deployment.line.request.location.name, "n": note.strip()})
    return deployment
