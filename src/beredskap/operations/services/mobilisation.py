"""Mobilisation of reserve personnel as a conversation (Meld. St. 5 (2023–2024) 3.1).

An approved allocation asks each named reserve person to accept or decline by a deadline
(in-app on Min side, and by e-mail and SMS with a link). Only an acceptance becomes a
deployment. A decline, or silence past the deadline (the periodic job), moves the line to the
next candidate the optimiser proposes among the persons still available; when there is none the
line is given up and the request is open again for a new proposal. Every step is in the crisis
log and on the allocation page.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.audit import acting_as
from beredskap.core.channels import CHANNELS, OutgoingMessage
from beredskap.core.errors import PermissionDenied
from beredskap.operations import allocation, reserve
from beredskap.operations.models import (
    AllocationLine,
    Deployment,
    MobilisationRequest,
    MobilisationStatus,
)
from beredskap.operations.services.crises import log

ANSWER_WITHIN = timedelta(hours=12)
SHORTEST_ANSWER_TIME = timedelta(hours=1)


def pending_reservists(person_ids: Any = None) -> set[int]:
    """Reserve persons who have been asked and not yet answered."""
    qs = MobilisationRequest.objects.filter(status=MobilisationStatus.ASKED, reserve__isnull=False)
    if person_ids is not None:
        qs = qs.filter(reserve_id__in=person_ids)
    return set(qs.values_list("reserve_id", flat=True))


def _deadline(line: AllocationLine, now: datetime) -> datetime:
    """Twelve hours to answer, but not past the request's own deadline (and at least an hour)."""
    return max(min(now + ANSWER_WITHIN, line.request.deadline), now + SHORTEST_ANSWER_TIME)


def ask_for_lines(lines: list[AllocationLine], *, now: datetime) -> list[MobilisationRequest]:
    """Inside the approval's transaction: a request to each named person; messages after commit."""
    asked = MobilisationRequest.objects.bulk_create(
        [
            MobilisationRequest(
                line=line,
                reserve_id=line.reserve_id,
                reserve_label=line.reserve_label,
                asked_at=now,
                deadline=_deadline(line, now),
            )
            for line in lines
        ]
    )
    ids = [m.pk for m in asked]
    transaction.on_commit(lambda: send_requests(ids))
    return asked


def _message(mob: MobilisationRequest) -> OutgoingMessage:
    request = mob.line.request
    crisis = request.crisis
    link = settings.BEREDSKAP_BASE_URL + reverse("operations:mobilisation", args=[mob.pk])
    deadline = timezone.localtime(mob.deadline).strftime("%d.%m.%Y %H:%M")
    prefix = "ØVELSE – " if crisis.is_exercise else ""
    subject = _("%(p)sForespørsel om utsendelse: %(i)s til %(l)s") % {
        "p": prefix,
        "i": request.item,
        "l": request.location.name,
    }
    body = _("%(o)s ber om reservepersonell. Svar ja eller nei innen %(d)s: %(u)s") % {
        "o": request.requested_by.name,
        "d": deadline,
        "u": link,
    }
    return OutgoingMessage(subject=subject, body=body, addresses=())


def _routes(mob: MobilisationRequest) -> list[tuple[str, str]]:
    person = mob.reserve
    if person is None:
        return []
    routes = [("in_app", "")]
    email = person.user.email or getattr(getattr(person.user, "person", None), "email", "")
    if email:
        routes.append(("email", email))
    if person.phone:
        routes.append(("sms", person.phone))
    return routes


def send_requests(ids: list[int]) -> None:
    """Send each request through in-app, e-mail and SMS and keep what each channel answered."""
    rows = MobilisationRequest.objects.filter(pk__in=ids).select_related(
        "reserve__user",
        "line__request__location",
        "line__request__requested_by",
        "line__request__crisis",
    )
    for mob in rows:
        message = _message(mob)
        outcome = []
        for channel, address in _routes(mob):
            one = OutgoingMessage(message.subject, message.body, (address,))
            result = CHANNELS[channel].send(one)[0]
            # No address is kept: it would outlive the person's erasure (GDPR art. 17).
            outcome.append({"channel": channel, "ok": result.ok, "error": result.error})
        MobilisationRequest.objects.filter(pk=mob.pk).update(deliveries=outcome)


def _own(by: Any, mob: MobilisationRequest) -> None:
    if mob.reserve is None or mob.reserve.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Forespørselen gjelder ikke deg."))


def answer(*, by: Any, mob: MobilisationRequest, accept: bool, note: str = "") -> Any:
    """The reserve person accepts (a deployment starts) or declines (the next candidate is
    asked); an answer after the deadline is refused."""
    _own(by, mob)
    now = timezone.now()
    with acting_as(by), transaction.atomic():
        fresh = MobilisationRequest.objects.select_for_update().get(pk=mob.pk)
        if not fresh.is_open:
            raise ValidationError(_("Forespørselen er allerede besvart eller avsluttet."))
        if fresh.deadline <= now:
            raise ValidationError(_("Svarfristen er ute; forespørselen er gått videre."))
        fresh.status = MobilisationStatus.ACCEPTED if accept else MobilisationStatus.DECLINED
        fresh.answered_at, fresh.note = now, note.strip()[:300]
        fresh.save()
        if accept:
            return _deploy(fresh, now=now)
        _log(fresh, _("%(p)s takket nei til «%(r)s».") % _words(fresh))
        return ask_next(fresh.line, now=now)


def _words(mob: MobilisationRequest) -> dict[str, str]:
    return {"p": mob.reserve_label, "r": str(mob.line.request)}


def _log(mob: MobilisationRequest, text: str, *, by: Any = None) -> None:
    log(crisis=mob.line.proposal.crisis, by=by, kind="deployment", text=text)


def _deploy(mob: MobilisationRequest, *, now: datetime) -> Deployment:
    from beredskap.operations.services.resources import update_requests

    deployment = Deployment.objects.create(line=mob.line, started_at=now)
    update_requests({mob.line.request})
    _log(mob, _("%(p)s takket ja til «%(r)s»; utsendelsen er startet.") % _words(mob))
    return deployment


def expire_overdue(*, now: datetime | None = None) -> int:
    """Requests not answered by their deadline expire and go to the next candidate (each once,
    safe from several workers)."""
    now = now or timezone.now()
    count = 0
    due = MobilisationRequest.objects.filter(status=MobilisationStatus.ASKED, deadline__lte=now)
    for mob in due.select_related("line__proposal__crisis", "line__request"):
        with transaction.atomic():
            claimed = MobilisationRequest.objects.filter(pk=mob.pk, status=MobilisationStatus.ASKED)
            if not claimed.update(status=MobilisationStatus.EXPIRED, answered_at=now):
                continue
            _log(mob, _("%(p)s svarte ikke innen fristen på «%(r)s».") % _words(mob))
            ask_next(mob.line, now=now)
        count += 1
    return count


def _candidate(line: AllocationLine) -> tuple[int, float] | None:
    """The optimiser's choice for one unit of the line's request among the persons the
    approving coordinator may draw on, not deployed, not asked elsewhere, not asked before here."""
    from beredskap.operations.services.resources import _item, deployed_reservists

    request = line.request
    tried = set(line.mobilisations.exclude(reserve=None).values_list("reserve_id", flat=True))
    exclude = deployed_reservists() | pending_reservists() | tried
    people = reserve.available_reservists(line.proposal.decided_by, exclude=exclude)
    supplies, members = allocation.reserve_supplies(people, reserve.region_centroids())
    need = allocation.Need(
        request.pk,
        request.kind,
        _item(request.kind, request.item),
        1,
        request.priority,
        request.location.lat,
        request.location.lon,
        region=request.location.county.health_region.code,
        competence=request.competence,
    )
    plan = allocation.optimise([need], supplies) if supplies else None
    if not plan or not plan.flows:
        return None
    named = allocation.hand_out(plan.flows, members)
    (nk, sk), persons = next((k, v) for k, v in named.items() if v)
    supply = next(s for s in supplies if s.key == sk)
    return persons[0], allocation.km(need.lat, need.lon, supply.lat, supply.lon)


def ask_next(line: AllocationLine, *, now: datetime) -> MobilisationRequest | None:
    """Move the line to the next candidate, or give it up (the request is open again)."""
    from beredskap.operations.services.resources import update_requests

    line = AllocationLine.objects.select_related(
        "request__location__county__health_region", "proposal__crisis", "proposal__decided_by"
    ).get(pk=line.pk)
    found = _candidate(line) if line.proposal.crisis.is_open else None
    if found is None:
        line.quantity = 0
        line.save(update_fields=["quantity"])
        update_requests({line.request})
        log(
            crisis=line.proposal.crisis,
            by=None,
            kind="deployment",
            text=_("Ingen flere ledige kandidater for «%(r)s»; behovet er åpent igjen.")
            % {"r": str(line.request)},
        )
        return None
    person, km = found
    line.reserve_id, line.reserve_label = person, reserve.labels([person])[person]
    line.distance_km = round(km, 1)
    line.save(update_fields=["reserve", "reserve_label", "distance_km"])
    (mob,) = ask_for_lines([line], now=now)
    _log(mob, _("Neste kandidat spurt: %(p)s for «%(r)s».") % _words(mob))
    return mob


def end_own_deployment(*, by: Any, deployment: Deployment, note: str = "") -> Deployment:
    """The reserve person ends her own deployment (she is home, or cannot go on)."""
    line = deployment.line
    if line.reserve is None or line.reserve.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Utsendelsen gjelder ikke deg."))
    with acting_as(by), transaction.atomic():
        deployment = Deployment.objects.select_for_update().get(pk=deployment.pk)
        if deployment.ended_at:
            raise ValidationError(_("Utsendelsen er allerede avsluttet."), code="conflict")
        deployment.ended_at = timezone.now()
        deployment.note = note.strip()[:300] or _("Avsluttet av reservepersonen.")
        deployment.save()
        log(
            crisis=line.proposal.crisis,
            by=by,
            kind="deployment",
            text=_("%(p)s avsluttet sin utsendelse til «%(r)s».")
            % {"p": line.reserve_label, "r": str(line.request)},
        )
    return deployment


def mine(user: Any) -> dict[str, list[Any]]:
    """A reserve person's own open requests and deployments (for Min side)."""
    if not getattr(user, "is_authenticated", False):
        return {"asked": [], "deployments": []}
    related = ("line__request__location", "line__request__requested_by", "line__request__crisis")
    asked = MobilisationRequest.objects.filter(
        reserve__user=user, status=MobilisationStatus.ASKED
    ).select_related(*related)
    deployments = Deployment.objects.filter(line__reserve__user=user, ended_at=None).select_related(
        *related
    )
    return {"asked": list(asked[:10]), "deployments": list(deployments[:10])}
