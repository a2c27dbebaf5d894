"""Crisis list, declaration, overview, level changes, activation, notifications and the log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.actors.models import BodyKind
from beredskap.actors.permissions import roles_of
from beredskap.core.audit import record_event
from beredskap.core.paging import paginate, querystring_without_page
from beredskap.core.safecells import SafeCsvWriter
from beredskap.operations import integrations, queries
from beredskap.operations.forms import (
    ActivationForm,
    CrisisFilterSet,
    CrisisForm,
    LevelForm,
    LogFilterSet,
    NotificationForm,
)
from beredskap.operations.forms_staff import (
    CycleForm,
    ExpertForm,
    LiaisonForm,
    RoleForm,
    role_memberships,
)
from beredskap.operations.models import NotificationRecipient
from beredskap.operations.permissions import is_coordinator, may_declare
from beredskap.operations.services import activation, crises, notification
from beredskap.operations.views.common import (
    attempt,
    attempt_form,
    attempt_kept,
    crisis_for,
    form_errors,
    kept,
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    filterset = CrisisFilterSet(request.GET)
    page = paginate(request, filterset.apply(queries.crises(request.user)), per_page=20)
    context = {
        "filter": filterset,
        "page": page,
        "qs": querystring_without_page(request),
        "can_declare": may_declare(request.user),
    }
    return render(request, "operations/index.html", context)


@login_required
def crisis_create(request: HttpRequest) -> HttpResponse:
    if not may_declare(request.user):
        messages.error(request, _("Du har ikke tilgang til å opprette kriser."))
        return redirect("operations:index")
    form = CrisisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = request.user.person.memberships.filter(
            role__in=["administrator", "secretariat"]
        ).first()
        crisis = attempt_form(
            request,
            form,
            lambda: crises.declare_crisis(by=request.user, owner_org=owner.organisation, **data),
            _("Krisen er opprettet."),
        )
        if crisis:
            return redirect("operations:crisis", pk=crisis.pk)
    return render(
        request, "operations/crisis_form.html", {"form": form, "roles": roles_of(request.user)}
    )


@login_required
def crisis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    coordinator = is_coordinator(request.user, crisis)
    planning, planning_ok = integrations.planning_for(request.user, crisis.risk_area)
    notes = list(
        queries.notifications(request.user, crisis).prefetch_related("recipients__organisation")[
            :10
        ]
    )
    activations = crisis.activations.select_related("body", "reports_to").prefetch_related(
        "experts__organisation"
    )
    editable = coordinator and crisis.is_open
    memberships = role_memberships(request.user, coordinator)
    context = {
        "crisis": crisis,
        "coordinator": coordinator,
        "planning": planning,
        "planning_ok": planning_ok,
        "activations": [
            (
                a,
                kept(request, ExpertForm, prefix=f"expert{a.pk}")
                if editable and a.body.kind == BodyKind.EXPERT_GROUP
                else None,
            )
            for a in activations
        ],
        "roles": crisis.roles.filter(ended_at=None).select_related("organisation", "person"),
        "past_roles": crisis.roles.exclude(ended_at=None).select_related("organisation", "person")[
            :20
        ],
        "cycle_form": kept(request, CycleForm, prefix="cycle") if editable else None,
        "liaison_form": kept(request, LiaisonForm, prefix="liaison") if editable else None,
        "role_form": kept(request, RoleForm, prefix="role", memberships=memberships)
        if crisis.is_open and (coordinator or memberships.exists())
        else None,
        "liaisons": crisis.liaisons.select_related("organisation", "placed_in"),
        "notifications": [(n, notification.ack_status(n)) for n in notes],
        "cycles": crisis.cycles.all(),
        "evaluation_url": crises.evaluation_link(crisis),
        "level_form": kept(
            request,
            LevelForm,
            initial={"version": crisis.version, "level": crisis.level, "phase": crisis.phase},
            prefix="level",
        )
        if coordinator
        else None,
        "activation_form": kept(request, ActivationForm, prefix="activation")
        if coordinator
        else None,
        "notification_form": kept(request, NotificationForm, prefix="notify")
        if coordinator
        else None,
    }
    return render(request, "operations/crisis_detail.html", context)


@login_required
@require_POST
def crisis_level(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    form = LevelForm(request.POST, prefix="level")
    if form.is_valid():
        data = form.cleaned_data
        attempt_kept(
            request,
            form,
            lambda: crises.change_level(
                by=request.user,
                crisis=crisis,
                expected_version=data["version"],
                level=data["level"],
                phase=data["phase"],
                reason=data["reason"],
            ),
            _("Nivå og fase er oppdatert."),
        )
    else:
        form_errors(request, form)
    return redirect("operations:crisis", pk=pk)


@login_required
@require_POST
def crisis_activate(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    form = ActivationForm(request.POST, prefix="activation")
    if form.is_valid():
        attempt_kept(
            request,
            form,
            lambda: activation.activate_body(by=request.user, crisis=crisis, **form.cleaned_data),
            _("Organet er aktivert."),
        )
    else:
        form_errors(request, form)
    return redirect("operations:crisis", pk=pk)


@login_required
@require_POST
def crisis_notify(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    form = NotificationForm(request.POST, prefix="notify")
    if form.is_valid():
        attempt_kept(
            request,
            form,
            lambda: notification.send_notification(
                by=request.user, crisis=crisis, **form.cleaned_data
            ),
            _("Varselet er sendt."),
        )
    else:
        form_errors(request, form)
    return redirect("operations:crisis", pk=pk)


@login_required
@require_POST
def acknowledge(request: HttpRequest, recipient_id: int) -> HttpResponse:
    recipient = get_object_or_404(
        NotificationRecipient.objects.filter(notification__in=queries.notifications(request.user)),
        pk=recipient_id,
    )
    attempt(
        request,
        lambda: notification.acknowledge(by=request.user, recipient=recipient),
        _("Kvittert."),
    )
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return redirect(target if target.startswith("/") and safe else "/")


@login_required
def notifications_page(request: HttpRequest) -> HttpResponse:
    pending = queries.my_unacknowledged(request.user)
    return render(request, "operations/notifications.html", {"pending": pending})


@login_required
def crisis_log(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    filterset = LogFilterSet(request.GET)
    entries = filterset.apply(
        crisis.log_entries.select_related("by", "corrects").order_by("-occurred_at", "-id")
    )
    if request.GET.get("format") == "csv":
        return _log_csv(request, crisis, entries)
    page = paginate(request, entries, per_page=50)
    return render(
        request,
        "operations/log.html",
        {
            "crisis": crisis,
            "filter": filterset,
            "page": page,
            "qs": querystring_without_page(request),
            "coordinator": is_coordinator(request.user, crisis),
        },
    )


def _log_csv(request: HttpRequest, crisis, entries) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="krise-{crisis.pk}-logg.csv"'
    writer = SafeCsvWriter(response)
    if crisis.is_exercise:
        writer.writerow(["ØVELSE ØVELSE ØVELSE"])
    writer.writerow([crisis.get_classification_display(), str(crisis)])
    writer.writerow(["hendelse", "registrert", "av", "type", "tekst", "retter"])
    for e in entries:
        writer.writerow(
            [
                timezone.localtime(e.occurred_at).isoformat(),
                timezone.localtime(e.recorded_at).isoformat(),
                e.by.username if e.by else "system",
                e.kind,
                e.text,
                e.corrects_id or "",
            ]
        )
    record_event(
        "export",
        actor=request.user,
        detail={"crisis": crisis.pk, "what": "log"},
        label="operations.crisis",
    )
    return response


@login_required
@require_POST
def log_add(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    correct = request.POST.get("corrects")
    if correct:
        entry = get_object_or_404(crisis.log_entries, pk=correct)
        attempt(
            request,
            lambda: crises.correct_log_entry(
                by=request.user, entry=entry, text=request.POST.get("text", "")
            ),
            _("Rettelsen er loggført."),
        )
    else:
        attempt(
            request,
            lambda: crises.add_log_entry(
                by=request.user, crisis=crisis, text=request.POST.get("text", "")
            ),
            _("Loggført."),
        )
    return redirect("operations:log", pk=pk)


@login_required
@require_POST
def crisis_close(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    result = attempt(
        request,
        lambda: crises.close_crisis(
            by=request.user,
            crisis=crisis,
            expected_version=int(request.POST.get("version", 0)),
            reason=request.POST.get("reason", ""),
        ),
        _("Krisen er avsluttet."),
    )
    if result is not None and not result.evaluation_ref:
        messages.info(request, _("Evalueringen kunne ikke opprettes automatisk; se krisens logg."))
    return redirect("operations:crisis", pk=pk)
