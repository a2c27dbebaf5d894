"""The link picker: link an exercise, a learning point or a commitment to plans, scenarios, ROS
events, analyses, exercises and decisions. Search results come only from the records the user
may see; a link to a record the viewer may not see is never shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from beredskap.core.errors import PermissionDenied
from beredskap.exercises import followup, linking, queries
from beredskap.exercises.permissions import allowed


def _errors(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))


def _choice(source: Any, value: str) -> tuple[str, str] | None:
    """'relation|app.model' from the form → (relation, key) when the source allows it."""
    relation, _sep, key = value.partition("|")
    return (relation, key) if linking.relation_allows(source, relation, key) else None


def link_page(
    request: HttpRequest,
    *,
    source: Any,
    heading: str,
    back_url: str,
    can_link: bool,
    link: Callable[[str, Any, str], Any],
) -> HttpResponse:
    """GET: current links and a search among visible records; POST: create one link."""
    choices = linking.choices_for(source)
    status = 200
    if request.method == "POST":
        picked = _choice(source, request.POST.get("choice", ""))
        target = (
            linking.find(request.user, picked[1], request.POST.get("target_id", ""))
            if picked
            else None
        )
        if not can_link:
            messages.error(request, _("Du har ikke tilgang til å gjøre dette."))
            status = 403
        elif picked is None or target is None:
            messages.error(request, _("Posten finnes ikke, eller du har ikke tilgang til den."))
            status = 404
        else:
            try:
                link(picked[0], target, request.POST.get("note", "")[:300])
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _errors(exc))
                status = 400
            else:
                messages.success(request, _("Koblingen er lagret."))
                return redirect(request.path)
    chosen = request.GET.get("choice") or (f"{choices[0][0]}|{choices[0][1]}" if choices else "")
    picked = _choice(source, chosen)
    results = []
    if can_link and picked is not None:
        results = [
            {"record": r, **linking.describe(picked[1], r)}
            for r in linking.search(request.user, picked[1], request.GET.get("q", ""))
        ]
    context = {
        "source": source,
        "heading": heading,
        "back_url": back_url,
        "can_link": can_link,
        "links": queries.links_from(request.user, source),
        "results": results,
        "q": request.GET.get("q", "")[:100],
        "choices": [
            {"value": f"{rel}|{key}", "label": f"{linking.RELATION_LABELS.get(rel, rel)}: {label}"}
            for rel, key, label in choices
        ],
        "chosen": chosen if picked else "",
    }
    return render(request, "exercises/link_picker.html", context, status=status)


@login_required
def exercise_links(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_object_or_404(queries.exercises(request.user), pk=pk)
    return link_page(
        request,
        source=exercise,
        heading=_("Koblinger for øvelsen «%(t)s»") % {"t": exercise.title},
        back_url=reverse("exercises:exercise_detail", args=[pk]),
        can_link=allowed(request.user, "edit_exercise", exercise),
        link=lambda relation, target, note: followup.link_record(
            by=request.user, source=exercise, target=target, relation=relation, note=note
        ),
    )


@login_required
def learning_point_links(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_object_or_404(queries.learning_points(request.user), pk=pk)
    return link_page(
        request,
        source=point,
        heading=_("Planer, scenarioer og ROS-hendelser læringspunktet «%(t)s» endrer")
        % {"t": point.title},
        back_url=reverse("exercises:learning_point_detail", args=[pk]),
        can_link=allowed(request.user, "edit_learning_point", point),
        link=lambda relation, target, note: followup.link_record(
            by=request.user, source=point, target=target, relation=relation, note=note
        ),
    )
