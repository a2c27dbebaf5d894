"""HTML views for the organisation directory, bodies and meetings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredskap.actors import queries, reminders, services
from beredskap.actors.filters import BodyFilterSet, MeetingFilterSet, OrganisationFilterSet
from beredskap.actors.forms import (
    AgendaItemForm,
    BodyMemberForm,
    BodyStateForm,
    DecisionForm,
    FollowUpActionForm,
    MeetingForm,
    MinutesForm,
    OrganisationForm,
)
from beredskap.actors.forms_national import BodyMemberRemoveForm
from beredskap.actors.models import ActionStatus, Meeting
from beredskap.actors.permissions import administers, allowed, is_national_administrator
from beredskap.actors.services.users import is_security_officer
from beredskap.core.audit import record_reads
from beredskap.core.errors import PermissionDenied, StaleEdit
from beredskap.core.holding import fit_form
from beredskap.core.paging import paginate, querystring_without_page
from beredskap.core.queries import app_org_panels


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationFilterSet(request.GET)
    page = paginate(request, filterset.apply(queries.organisations(request.user)), per_page=25)
    context = {
        "filter": filterset,
        "page": page,
        "qs": querystring_without_page(request),
        "is_national": is_national_administrator(request.user),
        "can_see_reachability": queries.may_see_reachability(request.user),
    }
    return render(request, "actors/organisation_list.html", context)


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(queries.organisations(request.user), pk=pk)
    context = {
        "org": org,
        "people": queries.people_of(request.user, org),
        "children": org.children.order_by("name")[:200],
        "bodies_led": queries.organisations_led(org),
        "can_edit": allowed(request.user, "edit_organisation", org),
        "contact_points": queries.contact_points_for(org),
        "contact_roles": queries.contact_roles_for(org),
        "can_edit_contacts": administers(request.user, org),
        "is_security_officer": is_security_officer(request.user, org),
        "is_national": is_national_administrator(request.user),
        "can_remind": bool(reminders.sender_orgs_for(request.user, org)),
        "panels": app_org_panels(request.user, org),
    }
    return render(request, "actors/organisation_detail.html", context)


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(queries.organisations(request.user), pk=pk)
    if not allowed(request.user, "edit_organisation", org):
        raise Http404
    initial = {
        "version": org.version,
        "short_name": org.short_name,
        "org_number": org.org_number,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_organisation(by=request.user, org=org, expected_version=version, **data)
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("actors:organisation_detail", pk=org.pk)
    status = 409 if form.errors and "__all__" in form.errors else 200
    return render(
        request, "actors/organisation_edit.html", {"org": org, "form": form}, status=status
    )


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    filterset = BodyFilterSet(request.GET)
    page = paginate(request, filterset.apply(queries.bodies(request.user)), per_page=25)
    context = {"filter": filterset, "page": page, "qs": querystring_without_page(request)}
    return render(request, "actors/body_list.html", context)


@login_required
def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(queries.bodies(request.user), slug=slug)
    can_manage = allowed(request.user, "manage_body", body)
    meetings = queries.meetings(request.user).filter(body=body)[:20]
    context = {
        "body": body,
        "members": queries.body_members(body),
        "meetings": meetings,
        "state_changes": body.state_changes.select_related("by")[:10],
        "children": body.children.all(),
        "can_manage": can_manage,
        "member_form": BodyMemberForm() if is_national_administrator(request.user) else None,
        "remove_form": BodyMemberRemoveForm() if is_national_administrator(request.user) else None,
        "state_form": BodyStateForm(initial={"state": body.state}) if can_manage else None,
    }
    return render(request, "actors/body_detail.html", context)


@login_required
def body_add_member(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(queries.bodies(request.user), slug=slug)
    form = BodyMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_body_member(by=request.user, body=body, **form.cleaned_data)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Medlemmet er lagt til."))
    elif request.method == "POST":
        messages.error(request, _("Velg organisasjon og rolle, og oppgi begrunnelse."))
    return redirect("actors:body_detail", slug=body.slug)


@login_required
def body_set_state(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(queries.bodies(request.user), slug=slug)
    form = BodyStateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_body_state(by=request.user, body=body, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Tilstanden er endret."))
    return redirect("actors:body_detail", slug=body.slug)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    filterset = MeetingFilterSet(request.GET)
    page = paginate(request, filterset.apply(queries.meetings(request.user)), per_page=25)
    record_reads(request.user, page.object_list)
    context = {"filter": filterset, "page": page, "qs": querystring_without_page(request)}
    return render(request, "actors/meeting_list.html", context)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(queries.meetings(request.user), pk=pk)
    record_reads(request.user, [meeting])
    return _meeting_page(request, meeting)


def _meeting_page(
    request: HttpRequest, meeting: Any, minutes_form: Any = None, status: int = 200
) -> HttpResponse:
    candidates = services.attendance_candidates(meeting)
    minutes_form = minutes_form or MinutesForm(
        candidates=candidates,
        initial={
            "version": meeting.version,
            "minutes": meeting.minutes,
            "attendees": list(meeting.attendees.values_list("pk", flat=True)),
        },
        prefix="minutes",
    )
    context = {
        "meeting": meeting,
        "record": meeting,
        "agenda": meeting.agenda_items.all(),
        "decisions": meeting.decisions.all(),
        "actions": _with_update_rights(request.user, meeting),
        "action_statuses": ActionStatus.choices,
        "can_manage": allowed(request.user, "manage_body", meeting.body),
        "agenda_form": AgendaItemForm(prefix="agenda"),
        "decision_form": DecisionForm(prefix="decision"),
        "action_form": FollowUpActionForm(prefix="action"),
        "minutes_form": minutes_form,
        "attendees": meeting.attendees.order_by("name"),
    }
    return render(request, "actors/meeting_detail.html", context, status=status)


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the minutes and who was present (the body's managers); what was typed is kept on
    an error."""
    meeting = get_object_or_404(queries.meetings(request.user), pk=pk)
    form = MinutesForm(
        request.POST, candidates=services.attendance_candidates(meeting), prefix="minutes"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_minutes(
                by=request.user,
                meeting=meeting,
                expected_version=data["version"],
                minutes=data["minutes"],
                attendees=list(data["attendees"]),
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Referatet er lagret."))
            return redirect("actors:meeting_detail", pk=meeting.pk)
    return _meeting_page(request, meeting, form, status=400)


def _with_update_rights(user: Any, meeting: Any) -> list[Any]:
    rows = list(meeting.actions.select_related("owner_org", "meeting__body"))
    for row in rows:
        row.can_update = allowed(user, "update_action", row)
    return rows


@login_required
@require_POST
def meeting_action_status(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Move a meeting's follow-up action on (done, in progress …): its owner or the body's lead."""
    meeting = get_object_or_404(queries.meetings(request.user), pk=pk)
    action = get_object_or_404(meeting.actions.select_related("meeting__body"), pk=action_pk)
    version = request.POST.get("version", "")
    try:
        services.set_action_status(
            by=request.user,
            action=action,
            status=request.POST.get("status", ""),
            expected_version=int(version) if version.isdigit() else 0,
        )
    except (PermissionDenied, ValidationError, StaleEdit) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Status for «%(t)s» er lagret.") % {"t": action.title})
    return redirect("actors:meeting_detail", pk=meeting.pk)


MEETING_PARTS: dict[str, tuple[Any, Callable[..., Any]]] = {
    "agenda": (AgendaItemForm, services.add_agenda_item),
    "decision": (DecisionForm, services.record_decision),
    "action": (FollowUpActionForm, services.add_follow_up_action),
}


@login_required
def meeting_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Add an agenda item, a decision or a follow-up action to a meeting (body managers)."""
    meeting = get_object_or_404(queries.meetings(request.user), pk=pk)
    if part not in MEETING_PARTS or request.method != "POST":
        raise Http404
    form_class, service = MEETING_PARTS[part]
    form = form_class(request.POST, prefix=part)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("actors:meeting_detail", pk=meeting.pk)
    try:
        service(by=request.user, meeting=meeting, **form.cleaned_data)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Lagret."))
    return redirect("actors:meeting_detail", pk=meeting.pk)


@login_required
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(queries.bodies(request.user), slug=slug)
    if not allowed(request.user, "manage_body", body):
        raise Http404
    form = fit_form(MeetingForm(request.POST or None), request.user, Meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(by=request.user, body=body, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Møtet er opprettet."))
            return redirect("actors:meeting_detail", pk=meeting.pk)
    return render(request, "actors/meeting_form.html", {"body": body, "form": form})


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@login_required
def reminder_send(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: send a reminder to organisation ``pk`` (topic/message/link from the form)."""
    org = get_object_or_404(queries.organisations(request.user), pk=pk)
    back = _safe_next(request, f"/aktorer/organisasjoner/{org.pk}/")
    if request.method != "POST":
        return redirect(back)
    try:
        reminder = reminders.send_reminder(
            by=request.user,
            to_org=org,
            topic=request.POST.get("topic", ""),
            message=request.POST.get("message", ""),
            link=request.POST.get("link", ""),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        reminders.tell_sender(request, reminder)
    return redirect(back)


@login_required
def reminder_list(request: HttpRequest) -> HttpResponse:
    """Reminders my organisations have received (acknowledge here) and sent."""
    if request.method == "POST" and request.POST.get("acknowledge"):
        reminder = get_object_or_404(
            reminders.received(request.user), pk=request.POST["acknowledge"]
        )
        reminders.acknowledge(by=request.user, reminder=reminder)
        messages.success(request, _("Kvittert."))
        return redirect("actors:reminder_list")
    context = {
        "received": paginate(request, reminders.received(request.user), per_page=25),
        "sent": reminders.sent(request.user)[:50],
    }
    return render(request, "actors/reminder_list.html", context)
