"""HTML views for the exercise plan, the calendar and feed, and exercises."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Organisation
from beredskap.core.audit import record_reads
from beredskap.core.errors import PermissionDenied, StaleEdit
from beredskap.core.holding import fit_form
from beredskap.core.paging import paginate, querystring_without_page
from beredskap.core.riskareas import RiskArea
from beredskap.exercises import calendar, queries, services
from beredskap.exercises.filters import ExerciseFilterSet
from beredskap.exercises.forms import (
    ControlForm,
    ExerciseForm,
    ObjectiveForm,
    ParticipantForm,
    PlanForm,
    StatusForm,
)
from beredskap.exercises.models import STATUS_ORDER, Exercise, ExercisePlan
from beredskap.exercises.permissions import allowed


def errors_of(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))


# The six priority risk areas with a committee each (Meld. St. 5 (2023–2024) chapter 4, 2.2.1):
# a multi-year exercise plan should exercise every one of them.
PRIORITY_AREAS = {
    area.value: area.label for area in RiskArea if area not in (RiskArea.CLIMATE, RiskArea.GENERAL)
}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The exercise list: search, filters and paging."""
    filterset = ExerciseFilterSet(request.GET)
    page = paginate(request, filterset.apply(queries.exercises(request.user)), per_page=25)
    record_reads(request.user, page.object_list)
    context = {
        "filter": filterset,
        "page": page,
        "qs": querystring_without_page(request),
        "can_create": allowed(request.user, "manage_plan") or _writer_orgs(request.user).exists(),
    }
    return render(request, "exercises/exercise_list.html", context)


def _writer_orgs(user: Any):
    from beredskap.exercises.permissions import WRITER_ROLES

    return Organisation.objects.filter(
        memberships__person__user=user, memberships__role__in=WRITER_ROLES
    )


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    can_manage = allowed(request.user, "manage_plan")
    form = fit_form(PlanForm(request.POST or None), request.user, ExercisePlan)
    if request.method == "POST" and can_manage and form.is_valid():
        try:
            plan = services.create_plan(
                by=request.user,
                owner_org=_writer_orgs(request.user).first()
                or Organisation.objects.get(short_name="HOD"),
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, errors_of(exc))
        else:
            messages.success(request, _("Øvingsplanen er opprettet."))
            return redirect("exercises:plan_detail", pk=plan.pk)
    context = {"plans": queries.plans(request.user), "form": form if can_manage else None}
    return render(request, "exercises/plan_list.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(queries.plans(request.user), pk=pk)
    record_reads(request.user, [plan])
    exercises = (
        queries.exercises(request.user)
        .filter(plan=plan)
        .prefetch_related("participants__organisation")
    )
    covered = set(exercises.values_list("risk_area", flat=True))
    context = {
        "plan": plan,
        "record": plan,
        "exercises": exercises,
        "can_rotate": allowed(request.user, "rotate_feed", plan),
        "unexercised_areas": [
            label for value, label in PRIORITY_AREAS.items() if value not in covered
        ],
    }
    return render(request, "exercises/plan_detail.html", context)


@login_required
def plan_feed_key(request: HttpRequest, pk: int) -> HttpResponse:
    """Rotate the plan's calendar key (owner organisation only); old feed links stop working."""
    plan = get_object_or_404(queries.plans(request.user), pk=pk)
    if not allowed(request.user, "rotate_feed", plan):
        return render(
            request, "exercises/plan_feed_key.html", {"plan": plan, "refused": True}, status=403
        )
    if request.method == "POST":
        services.rotate_feed_key(by=request.user, plan=plan)
        messages.success(
            request, _("Kalendernøkkelen er byttet. Gamle abonnementslenker virker ikke lenger.")
        )
        return redirect("exercises:plan_detail", pk=plan.pk)
    return render(request, "exercises/plan_feed_key.html", {"plan": plan, "refused": False})


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    """Month grid of exercises (a table with row and column headers, readable by screen readers)."""
    first = calendar.parse_month(request.GET.get("maned"), timezone.localdate())
    previous, following = calendar.neighbours(first)
    last = following.replace(day=1)
    visible_qs = queries.exercises(request.user).filter(starts_on__lt=last, ends_on__gte=first)
    plan_id = request.GET.get("plan", "")
    if plan_id.isdigit() and len(plan_id) < 10:
        visible_qs = visible_qs.filter(plan_id=int(plan_id))
    visible = list(visible_qs)
    context = {
        "plan_id": plan_id if plan_id.isdigit() else "",
        "first": first,
        "weeks": calendar.month_grid(first, visible),
        "previous": previous,
        "following": following,
        "exercises": visible,
        "today": timezone.localdate(),
    }
    return render(request, "exercises/calendar.html", context)


@login_required
def exercise_create(request: HttpRequest) -> HttpResponse:
    form = fit_form(ExerciseForm(request.POST or None), request.user, Exercise)
    form.fields["owner_org"].queryset = (
        Organisation.objects.all()
        if allowed(request.user, "manage_plan")
        else _writer_orgs(request.user)
    )
    plans = queries.plans(request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        plan_id = request.POST.get("plan") or None
        data["plan"] = plans.filter(pk=plan_id).first() if plan_id else None
        try:
            exercise = services.create_exercise(by=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, errors_of(exc))
        else:
            messages.success(request, _("Øvelsen er registrert."))
            return redirect("exercises:exercise_detail", pk=exercise.pk)
    return render(request, "exercises/exercise_form.html", {"form": form, "plans": plans})


@login_required
def exercise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_object_or_404(queries.exercises(request.user), pk=pk)
    record_reads(request.user, [exercise])
    can_edit = allowed(request.user, "edit_exercise", exercise)
    position = STATUS_ORDER.index(exercise.status)
    next_status = STATUS_ORDER[position + 1] if position + 1 < len(STATUS_ORDER) - 1 else None
    context = {
        "exercise": exercise,
        "record": exercise,
        "can_edit": can_edit,
        "objectives": exercise.objectives.all(),
        "participants": exercise.participants.select_related("organisation"),
        "participating_orgs": exercise.participating_orgs.all(),
        "control": exercise.control.all(),
        "evaluation": getattr(exercise, "evaluation", None),
        "links": queries.links_from(request.user, exercise),
        "next_status": next_status,
        "objective_form": ObjectiveForm(prefix="objective"),
        "participant_form": ParticipantForm(prefix="participant"),
        "control_form": ControlForm(prefix="control"),
    }
    return render(request, "exercises/exercise_detail.html", context)


EXERCISE_PARTS: dict[str, tuple[Any, Any]] = {
    "objective": (ObjectiveForm, services.add_objective),
    "participant": (ParticipantForm, services.add_participant),
    "control": (ControlForm, services.add_control_role),
    "status": (StatusForm, services.advance_status),
}


@login_required
def exercise_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Add an objective, participant or control role, or move the status one step."""
    exercise = get_object_or_404(queries.exercises(request.user), pk=pk)
    if part not in EXERCISE_PARTS or request.method != "POST":
        raise Http404
    form_class, service = EXERCISE_PARTS[part]
    form = form_class(request.POST, prefix=None if part == "status" else part)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("exercises:exercise_detail", pk=exercise.pk)
    try:
        service(by=request.user, exercise=exercise, **form.cleaned_data)
    except (PermissionDenied, ValidationError, StaleEdit) as exc:
        messages.error(request, errors_of(exc))
    else:
        messages.success(request, _("Lagret."))
    return redirect("exercises:exercise_detail", pk=exercise.pk)


@login_required
def exercise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an exercise's details; a stale edit is refused (409) with a clear message."""
    from beredskap.exercises.forms import ExerciseEditForm

    exercise = get_object_or_404(queries.exercises(request.user), pk=pk)
    if not allowed(request.user, "edit_exercise", exercise):
        raise Http404
    fields = (
        "title",
        "exercise_type",
        "purpose",
        "scenario",
        "risk_area",
        "starts_on",
        "ends_on",
        "location",
        "classification",
        "version",
    )
    form = ExerciseEditForm(request.POST or None, initial={f: getattr(exercise, f) for f in fields})
    fit_form(form, request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["ends_on"] = data.get("ends_on") or data["starts_on"]
        try:
            services.update_exercise(
                by=request.user, exercise=exercise, expected_version=version, **data
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
            status = 409
        except ValidationError as exc:
            form.add_error(None, errors_of(exc))
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("exercises:exercise_detail", pk=exercise.pk)
    return render(
        request, "exercises/exercise_edit.html", {"form": form, "exercise": exercise}, status=status
    )


@login_required
def incident_create(request: HttpRequest) -> HttpResponse:
    """Register a real event by hand and open its evaluation (box 2.1 point 8)."""
    from beredskap.exercises.forms import IncidentForm

    form = fit_form(IncidentForm(request.POST or None), request.user, Exercise)
    form.fields["owner_org"].queryset = (
        Organisation.objects.all()
        if allowed(request.user, "manage_plan")
        else _writer_orgs(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.create_incident_evaluation(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, errors_of(exc))
        else:
            messages.success(request, _("Hendelsen er registrert. Evalueringen er åpnet."))
            return redirect("exercises:evaluation", pk=evaluation.exercise_id)
    return render(request, "exercises/incident_form.html", {"form": form})
