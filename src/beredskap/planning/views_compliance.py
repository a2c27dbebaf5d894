"""Compliance overview (the statsforvalter follows up the municipalities'
preparedness, white paper 2.3): a statsforvalter's municipalities, the national
roll-up by county and risk area, the box 2.1 checklist, reminders; plan import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from beredskap.actors import reminders
from beredskap.actors.models import Organisation, OrganisationKind, Reminder
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import Municipality
from beredskap.core.tabular import read_rows, template_response
from beredskap.planning import checklist, imports, queries, services
from beredskap.planning.forms import ReminderForm, RequirementForm
from beredskap.planning.models import RequirementStatus
from beredskap.planning.requirements import BOX_2_1
from beredskap.risk import permissions
from beredskap.risk import queries as risk_queries
from beredskap.risk.panels import statsforvalter_municipalities

FLAG_FILTERS = {
    "flagged": lambda r: r.flagged,
    "ros": lambda r: r.ros_status != "ok",
    "ros_missing": lambda r: r.ros_status == "missing",
    "ros_overdue": lambda r: r.ros_status == "overdue",
    "plan": lambda r: r.plan_status != "up_to_date",
    "exercise": lambda r: r.exercise_status != "ok",
}


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    """A statsforvalter's municipalities with ROS age, plan and exercise status."""
    municipalities = statsforvalter_municipalities(request.user)
    if not municipalities:
        return redirect("planning:rollup")
    q = request.GET.get("q", "").strip()[:100].lower()
    if q:
        municipalities = [m for m in municipalities if q in m.name.lower()]
    rows = queries.municipality_rows(request.user, municipalities)
    show = request.GET.get("vis", "")
    if show in FLAG_FILTERS:
        rows = [r for r in rows if FLAG_FILTERS[show](r)]
    sort = request.GET.get("sorter", "name")
    rows.sort(key=queries.SORT_KEYS.get(sort, queries.SORT_KEYS["name"]))
    reachable = reminders.reachable_org_ids(r.organisation.pk for r in rows if r.organisation)
    for row in rows:
        row.reachable = row.organisation is not None and row.organisation.pk in reachable
        row.reminders = _suggested_reminders(row) if row.reachable else []
    context = {
        "rows": rows,
        "unreachable": [r for r in rows if not r.reachable],
        "q": q,
        "show": show,
        "sort": sort,
        "offices": queries.statsforvalter_offices(request.user),
        "filters": [
            ("", _("Alle")),
            ("flagged", _("Med avvik")),
            ("ros", _("ROS mangler eller forfalt")),
            ("ros_missing", _("Mangler ROS")),
            ("ros_overdue", _("ROS forfalt")),
            ("plan", _("Plan ikke oppdatert")),
            ("exercise", _("Ikke øvd")),
        ],
        "sorts": [
            ("name", _("Navn")),
            ("ros", _("ROS-alder")),
            ("plan", _("Planstatus")),
            ("exercise", _("Øvingsstatus")),
            ("population", _("Innbyggere")),
        ],
    }
    return render(request, "planning/compliance.html", context)


@login_required
def rollup(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "planning/rollup.html",
        {
            "counties": queries.county_rollup(request.user),
            "areas": queries.risk_area_rollup(request.user),
        },
    )


def _office_for(user: Any, municipality: Municipality) -> Organisation | None:
    return (
        queries.statsforvalter_offices(user).filter(served_counties=municipality.county_id).first()
    )


def _suggested_reminders(row: Any) -> list[str]:
    """One-click reminder topics for what the compliance row flags (the adviser
    follows up many municipalities: opening one and reminding it takes two clicks)."""
    topics = []
    if row.ros_status == "missing":
        topics.append(_("Helhetlig ROS-analyse mangler"))
    elif row.ros_status == "overdue":
        topics.append(_("Helhetlig ROS-analyse er forfalt for revisjon"))
    if row.missing_types:
        topics.append(
            _("Beredskapsplan mangler: %(types)s") % {"types": ", ".join(row.missing_types)}
        )
    if row.overdue_types:
        topics.append(
            _("Revisjon av beredskapsplan er forfalt: %(types)s")
            % {"types": ", ".join(row.overdue_types)}
        )
    if row.exercise_status in ("never", "overdue"):
        topics.append(_("Den overordnede beredskapsplanen er ikke øvd de siste to årene"))
    return topics


@login_required
def municipality_detail(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_object_or_404(
        Municipality.objects.select_related("county"), number=number[:4]
    )
    org = Organisation.objects.filter(municipality=municipality).first()
    row = queries.municipality_rows(request.user, [municipality])[0]
    office = _office_for(request.user, municipality)
    context = {
        "municipality": municipality,
        "org": org,
        "row": row,
        "analyses": risk_queries.analyses(request.user).filter(municipality=municipality),
        "plans": queries.plans(request.user).filter(owner_org=org) if org else [],
        "office": office,
        "reminder_form": ReminderForm() if office else None,
        "reminders": Reminder.objects.filter(to_org=org, from_org=office)[:20]
        if office and org
        else [],
        "suggested_reminders": _suggested_reminders(row) if office and org else [],
    }
    return render(request, "planning/municipality.html", context)


@login_required
@require_POST
def remind(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, number=number[:4])
    office = _office_for(request.user, municipality)
    org = Organisation.objects.filter(municipality=municipality).first()
    form = ReminderForm(request.POST)
    if office is None or org is None:
        raise Http404
    if form.is_valid():
        try:
            reminder = services.send_reminder(
                by=request.user,
                from_org=office,
                to_org=org,
                message=form.cleaned_data["message"],
                topic=form.cleaned_data["topic"],
                link=reverse("planning:municipality", kwargs={"number": municipality.number}),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            reminders.tell_sender(request, reminder)
    else:
        messages.error(request, _("Skriv en melding."))
    return redirect("planning:municipality", number=municipality.number)


@login_required
def requirements_index(request: HttpRequest) -> HttpResponse:
    orgs = Organisation.objects.filter(
        kind__in=[OrganisationKind.MINISTRY, OrganisationKind.AGENCY]
    ).order_by("name")
    return render(request, "planning/requirements_index.html", {"orgs": orgs})


@login_required
def requirements(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The ten requirements of box 2.1 for one ministry or agency, with evidence."""
    org = get_object_or_404(
        Organisation, pk=org_pk, kind__in=[OrganisationKind.MINISTRY, OrganisationKind.AGENCY]
    )
    can_edit = permissions.writes_for(request.user, org)
    existing = {r.requirement: r for r in queries.requirement_rows(request.user, org)}
    if request.method == "POST":
        if not can_edit:
            raise Http404
        number = (
            int(request.POST.get("requirement", "0") or 0)
            if request.POST.get("requirement", "").isdigit()
            else 0
        )
        form = RequirementForm(request.POST)
        if form.is_valid() and number in BOX_2_1:
            try:
                services.assess_requirement(
                    by=request.user, owner_org=org, requirement=number, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("Krav %(n)s er lagret.") % {"n": number})
        else:
            messages.error(
                request,
                " ".join(str(e) for errs in form.errors.values() for e in errs)
                or _("Ugyldig krav."),
            )
        return redirect("planning:requirements", org_pk=org.pk)
    rows = [_requirement_row(request.user, org, n, t, existing.get(n)) for n, t in BOX_2_1.items()]
    for row in rows:
        row["form"] = RequirementForm(prefix=f"k{row['number']}") if can_edit else None
    return render(
        request,
        "planning/requirements.html",
        {
            "org": org,
            "rows": rows,
            "can_edit": can_edit,
            "met": sum(1 for r in rows if r["status"] == RequirementStatus.MET),
        },
    )


def _requirement_row(user: Any, org: Any, number: int, text: Any, current: Any) -> dict:
    """One box 2.1 item: what the records show, any override or self-assessment, the result."""
    derived = checklist.derive(user, org, number)
    status = checklist.effective_status(derived, current)
    overridden = derived is not None and current is not None and bool(current.override_reason)
    return {
        "number": number,
        "text": text,
        "derived": derived,
        "current": current,
        "overridden": overridden,
        "self_assessed": derived is None and current is not None,
        "status": status,
        "status_label": RequirementStatus(status).label,
        "derived_label": RequirementStatus(derived.status).label if derived else "",
    }


class PlanImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Fil (CSV eller XLSX)"))


@login_required
def plan_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return template_response("mal-planer", imports.PLAN_HEADER, imports.PLAN_EXAMPLE, fmt)


@login_required
def plan_import(request: HttpRequest) -> HttpResponse:
    form = PlanImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            result = imports.import_plans(by=request.user, rows=rows)
    status = 400 if form.errors or (result and not result.ok) else 200
    return render(request, "planning/import.html", {"form": form, "result": result}, status=status)
