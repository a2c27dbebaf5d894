"""HTML views for evaluations, learning points, actions and the council's follow-up view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Body, Organisation
from beredskap.core.audit import record_reads
from beredskap.core.errors import PermissionDenied, StaleEdit
from beredskap.core.paging import paginate, querystring_without_page
from beredskap.core.riskareas import RiskArea
from beredskap.exercises import followup, queries, services
from beredskap.exercises.filters import LearningPointFilterSet
from beredskap.exercises.forms import (
    AcceptNotDoneForm,
    ActionForm,
    ActionUpdateForm,
    LearningPointForm,
    ObservationForm,
    ShareForm,
)
from beredskap.exercises.models import Objective
from beredskap.exercises.permissions import allowed
from beredskap.exercises.views import errors_of

WRITE_ERRORS = (PermissionDenied, ValidationError, StaleEdit)


@login_required
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation of exercise `pk`: observations, learning points, actions, closing."""
    exercise = get_object_or_404(queries.exercises(request.user), pk=pk)
    if request.method == "POST":
        try:
            services.start_evaluation(
                by=request.user, exercise=exercise, summary=request.POST.get("summary", "")
            )
        except WRITE_ERRORS as exc:
            messages.error(request, errors_of(exc))
        return redirect("exercises:evaluation", pk=pk)
    evaluation = getattr(exercise, "evaluation", None)
    if evaluation is None:
        raise Http404
    record_reads(request.user, [exercise])
    points = list(
        queries.learning_points(request.user)
        .filter(evaluation=evaluation)
        .prefetch_related("actions__responsible_org", "actions__accepted_by")
    )
    open_eval = not evaluation.is_closed
    for point in points:
        point.action_form = ActionForm(prefix="action", auto_id=f"lp{point.pk}_%s")
        for action in point.actions.all():
            action.can_update = (
                open_eval and action.is_open and allowed(request.user, "update_action", action)
            )
    today = timezone.localdate()
    context = {
        "exercise": exercise,
        "record": exercise,
        "evaluation": evaluation,
        "today": today,
        "observations": evaluation.observations.select_related("objective"),
        "points": points,
        "blocking": followup.blocking_actions(evaluation),
        "can_edit": allowed(request.user, "edit_exercise", exercise) and not evaluation.is_closed,
        "observation_form": ObservationForm(
            prefix="observation", objectives=exercise.objectives.all()
        ),
        "point_form": LearningPointForm(prefix="point"),
    }
    return render(request, "exercises/evaluation.html", context)


def _evaluation_of(request: HttpRequest, pk: int):
    exercise = get_object_or_404(queries.exercises(request.user), pk=pk)
    evaluation = getattr(exercise, "evaluation", None)
    if evaluation is None or request.method != "POST":
        raise Http404
    return evaluation


def _form_errors(form) -> str:
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


@login_required
def evaluation_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Add an observation or a learning point, or close the evaluation."""
    evaluation = _evaluation_of(request, pk)
    try:
        if part == "observation":
            form = ObservationForm(
                request.POST, prefix="observation", objectives=evaluation.exercise.objectives.all()
            )
            if not form.is_valid():
                raise ValidationError(_form_errors(form))
            data = dict(form.cleaned_data)
            objective_id = data.pop("objective")
            data["objective"] = (
                Objective.objects.filter(pk=objective_id).first() if objective_id else None
            )
            followup.add_observation(by=request.user, evaluation=evaluation, **data)
        elif part == "point":
            point_form = LearningPointForm(request.POST, prefix="point")
            if not point_form.is_valid():
                raise ValidationError(_form_errors(point_form))
            followup.add_learning_point(
                by=request.user, evaluation=evaluation, **point_form.cleaned_data
            )
        elif part == "close":
            followup.close_evaluation(by=request.user, evaluation=evaluation)
            messages.success(request, _("Evalueringen og øvelsen er lukket."))
            return redirect("exercises:evaluation", pk=pk)
        else:
            raise Http404
    except WRITE_ERRORS as exc:
        messages.error(request, errors_of(exc))
    else:
        messages.success(request, _("Lagret."))
    return redirect("exercises:evaluation", pk=pk)


@login_required
def action_add(request: HttpRequest, point_pk: int) -> HttpResponse:
    point = get_object_or_404(queries.learning_points(request.user), pk=point_pk)
    if request.method != "POST":
        raise Http404
    form = ActionForm(request.POST, prefix="action")
    try:
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        followup.add_action(by=request.user, learning_point=point, **form.cleaned_data)
    except WRITE_ERRORS as exc:
        messages.error(request, errors_of(exc))
    else:
        messages.success(request, _("Tiltaket er lagt til."))
    return redirect("exercises:evaluation", pk=point.evaluation.exercise_id)


@login_required
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Report progress on an action, or accept (with a reason) that it will not be done."""
    action = get_object_or_404(queries.actions(request.user), pk=pk)
    exercise_id = action.learning_point.evaluation.exercise_id
    if request.method != "POST":
        raise Http404
    accepting = request.POST.get("accept") == "1"
    form = (AcceptNotDoneForm if accepting else ActionUpdateForm)(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if accepting:
            followup.accept_not_done(
                by=request.user, action=action, expected_version=version, **data
            )
        else:
            followup.update_action(by=request.user, action=action, expected_version=version, **data)
    except WRITE_ERRORS as exc:
        messages.error(request, errors_of(exc))
    else:
        messages.success(request, _("Tiltaket er oppdatert."))
    return redirect("exercises:evaluation", pk=exercise_id)


@login_required
def learning_point_list(request: HttpRequest) -> HttpResponse:
    """Learning points across exercises, searchable; only those the user may see."""
    filterset = LearningPointFilterSet(request.GET)
    page = paginate(request, filterset.apply(queries.learning_points(request.user)), per_page=25)
    record_reads(request.user, page.object_list)
    context = {"filter": filterset, "page": page, "qs": querystring_without_page(request)}
    return render(request, "exercises/learning_point_list.html", context)


@login_required
def learning_point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_object_or_404(queries.learning_points(request.user), pk=pk)
    record_reads(request.user, [point])
    can_share = allowed(request.user, "edit_learning_point", point)
    form = ShareForm(request.POST or None)
    form.fields["bodies"].queryset = Body.objects.order_by("name")
    form.fields["organisations"].queryset = Organisation.objects.exclude(
        kind="municipality"
    ).order_by("name")
    if request.method == "POST" and form.is_valid():
        try:
            followup.share_learning_point(
                by=request.user, learning_point=point, **form.cleaned_data
            )
        except WRITE_ERRORS as exc:
            messages.error(request, errors_of(exc))
        else:
            messages.success(request, _("Læringspunktet er delt."))
            return redirect("exercises:learning_point_detail", pk=pk)
    context = {
        "point": point,
        "record": point,
        "actions": point.actions.select_related("responsible_org"),
        "shared_bodies": point.shared_with_bodies.all(),
        "can_share": can_share,
        "form": form,
        "links": queries.links_from(request.user, point),
    }
    return render(request, "exercises/learning_point_detail.html", context)


@login_required
def follow_up(request: HttpRequest) -> HttpResponse:
    """The council's follow-up view: overdue actions by organisation, age, risk area; trend."""
    summary = queries.follow_up_summary(request.user)
    labels = dict(RiskArea.choices)
    summary["by_area"] = [(labels.get(code, code), n) for code, n in summary["by_area"]]
    trend = queries.overdue_trend(request.user)
    chart = {
        "labels": [d.strftime("%m.%Y") for d, _n in trend],
        "values": [n for _d, n in trend],
        "label": _("Forfalte tiltak"),
    }
    page = paginate(request, queries.overdue_actions(request.user), per_page=25)
    context = {
        "summary": summary,
        "trend": trend,
        "chart": chart,
        "page": page,
        "qs": querystring_without_page(request),
        "today": timezone.localdate(),
    }
    return render(request, "exercises/follow_up.html", context)
