"""Decisions, tasks, resource requests and allocation, public alerts and their feeds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.core.access import access_context
from beredskap.operations import integrations, queries
from beredskap.operations.forms import AlertForm, DecisionForm, OfferForm, RequestForm, TaskForm
from beredskap.operations.models import Deployment, PublicAlert
from beredskap.operations.permissions import is_coordinator
from beredskap.operations.services import alerts, decisions, resources
from beredskap.operations.views.common import attempt, attempt_kept, crisis_for, form_errors, kept


@login_required
def work_page(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    coordinator = is_coordinator(request.user, crisis)
    reserve, reserve_ok = integrations.reserve_availability(request.user)
    context = {
        "crisis": crisis,
        "coordinator": coordinator,
        "now": timezone.now(),
        "my_org_ids": access_context(request.user).member_org_ids,
        "decisions": queries.decisions(request.user, crisis).prefetch_related("measures"),
        "tasks": queries.tasks(request.user, crisis),
        "requests": queries.requests(request.user, crisis),
        "offers": crisis.offers.select_related("organisation", "location"),
        "proposals": crisis.proposals.annotate(line_count=Count("lines")).prefetch_related(
            "lines__request__location", "lines__offer__organisation", "lines__mobilisations"
        )[:5],
        "deployments": Deployment.objects.filter(line__proposal__crisis=crisis)
        .select_related("line__request__location", "line__offer__organisation")
        .order_by("ended_at", "-started_at")[:100],
        "alerts": queries.alerts(request.user, crisis),
        "reserve": reserve,
        "reserve_ok": reserve_ok,
        "decision_form": kept(request, DecisionForm, prefix="decision") if coordinator else None,
        "task_form": kept(request, TaskForm, prefix="task") if coordinator else None,
        "request_form": kept(request, RequestForm, prefix="request"),
        "offer_form": kept(request, OfferForm, prefix="offer"),
        "alert_form": kept(request, AlertForm, prefix="alert") if coordinator else None,
    }
    return render(request, "operations/work.html", context)


def _back(pk: int, anchor: str) -> HttpResponse:
    return redirect(reverse("operations:work", args=[pk]) + f"#{anchor}")


@login_required
@require_POST
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    form = DecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        data = dict(form.cleaned_data)
        measure = data.pop("measure")
        data["measures"] = [{"text": measure}] if measure else []
        attempt_kept(
            request,
            form,
            lambda: decisions.record_decision(by=request.user, crisis=crisis, **data),
            _("Vedtaket er registrert."),
        )
    else:
        form_errors(request, form)
    return _back(pk, "vedtak")


@login_required
@require_POST
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    form = TaskForm(request.POST, prefix="task")
    if form.is_valid():
        attempt_kept(
            request,
            form,
            lambda: decisions.create_task(by=request.user, crisis=crisis, **form.cleaned_data),
            _("Oppgaven er opprettet."),
        )
    else:
        form_errors(request, form)
    return _back(pk, "oppgaver")


@login_required
@require_POST
def task_status(request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    task = get_object_or_404(queries.tasks(request.user, crisis), pk=task_id)
    attempt(
        request,
        lambda: decisions.set_task_status(
            by=request.user,
            task=task,
            status=request.POST.get("status", ""),
            expected_version=int(request.POST.get("version") or 0),
        ),
        _("Oppgaven er oppdatert."),
    )
    return _back(pk, "oppgaver")


@login_required
@require_POST
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    form = RequestForm(request.POST, prefix="request")
    if form.is_valid():
        attempt_kept(
            request,
            form,
            lambda: resources.create_request(by=request.user, crisis=crisis, **form.cleaned_data),
            _("Forespørselen er registrert."),
        )
    else:
        form_errors(request, form)
    return _back(pk, "ressurser")


@login_required
@require_POST
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    form = OfferForm(request.POST, prefix="offer")
    if form.is_valid():
        attempt_kept(
            request,
            form,
            lambda: resources.create_offer(by=request.user, crisis=crisis, **form.cleaned_data),
            _("Tilbudet er registrert."),
        )
    else:
        form_errors(request, form)
    return _back(pk, "ressurser")


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    attempt(
        request,
        lambda: resources.propose_allocation(by=request.user, crisis=crisis),
        _("Fordelingsforslaget er beregnet."),
    )
    return _back(pk, "ressurser")


@login_required
@require_POST
def approve(request: HttpRequest, pk: int, proposal_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    proposal = get_object_or_404(crisis.proposals, pk=proposal_id)
    attempt(
        request,
        lambda: resources.approve_proposal(
            by=request.user,
            proposal=proposal,
            expected_version=int(request.POST.get("version") or 0),
        ),
        _(
            "Fordelingen er godkjent. Tilbudte enheter er sendt ut; reservepersonell er spurt og "
            "sendes først ut når de takker ja."
        ),
    )
    return _back(pk, "ressurser")


@login_required
@require_POST
def alert_create(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    form = AlertForm(request.POST, prefix="alert")
    if form.is_valid():
        try:
            municipalities = form.municipalities()
        except ValidationError as exc:
            form.add_error("municipality_numbers", exc)
    if form.is_valid():
        data = form.cleaned_data
        attempt_kept(
            request,
            form,
            lambda: alerts.publish_alert(
                by=request.user,
                crisis=crisis,
                event=data["event"],
                urgency=data["urgency"],
                severity=data["severity"],
                certainty=data["certainty"],
                category=data["category"],
                expires=data["expires"],
                web=data["web"] or "",
                infos=form.infos(),
                municipalities=municipalities,
            ),
            _("Varselet er publisert."),
        )
    else:
        form_errors(request, form)
    return _back(pk, "varsler")


@login_required
@require_POST
def alert_cancel(request: HttpRequest, pk: int, alert_id: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    alert = get_object_or_404(queries.alerts(request.user, crisis), pk=alert_id)
    attempt(
        request,
        lambda: alerts.cancel_alert(
            by=request.user, previous=alert, note=request.POST.get("note", "")
        ),
        _("Varselet er trukket tilbake."),
    )
    return _back(pk, "varsler")


def _public_alerts():
    return PublicAlert.objects.filter(status="Actual").prefetch_related("infos").order_by("-sent")


def _in_force(alerts: QuerySet[PublicAlert]) -> list[PublicAlert]:
    """The messages a receiver should act on now: not expired, not cancelled, not replaced."""
    now = timezone.now()
    live = alerts.exclude(msg_type="Cancel").exclude(expires__lte=now).filter(followups=None)
    return list(live[:50])


def alert_xml(request: HttpRequest, identifier: str) -> HttpResponse:
    """One CAP message. Real alerts are public; exercise alerts only to those who see the
    exercise."""
    alert = _public_alerts().filter(identifier=identifier).first()
    if alert is None and request.user.is_authenticated:
        alert = queries.alerts(request.user).filter(identifier=identifier).first()
    if alert is None:
        raise Http404
    return HttpResponse(alert.xml, content_type="application/cap+xml; charset=utf-8")


def feed(request: HttpRequest) -> HttpResponse:
    """Atom feed of the real CAP alerts in force (public, like MET Norway's)."""
    return _atom(request, _in_force(_public_alerts()), _("Helseberedskap – offentlige varsler"), "")


@login_required
def exercise_feed(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    return _atom(
        request,
        _in_force(queries.alerts(request.user, crisis)),
        f"ØVELSE – {crisis.name}" if crisis.is_exercise else crisis.name,
        f"{pk}/",
    )


def _atom(request: HttpRequest, items: list[PublicAlert], title: str, suffix: str) -> HttpResponse:
    updated = items[0].sent if items else timezone.now()
    body = render(
        request,
        "operations/feed.xml",
        {
            "items": items,
            "title": title,
            "updated": updated,
            "self_url": request.build_absolute_uri(),
        },
    ).content
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
