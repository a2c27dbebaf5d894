"""HTML for contact points: the organisation's own page for keeping them current, the national
import, and the overview of organisations that cannot be reached."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from beredskap.actors import queries
from beredskap.actors.contactimport import EXAMPLE, HEADER, import_contact_points
from beredskap.actors.forms_contacts import ContactPointForm, ContactRoleForm, ImportFileForm
from beredskap.actors.models import ContactRoleKind
from beredskap.actors.permissions import administers, is_national_administrator
from beredskap.actors.services import contacts as contactservices
from beredskap.core.errors import PermissionDenied
from beredskap.core.paging import paginate, querystring_without_page
from beredskap.core.tabular import read_rows, template_response


def _errors_into(form: Any, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))


@login_required
def contact_points(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation administrator's page: contact points in escalation order and roles."""
    org = get_object_or_404(queries.organisations(request.user), pk=pk)
    if not administers(request.user, org):
        raise Forbidden(_("Bare organisasjonens administrator kan endre kontaktpunktene."))
    action = request.POST.get("action", "")
    point_form = ContactPointForm(request.POST if action == "add" else None)
    role_form = ContactRoleForm(request.POST if action == "role" else None, organisation=org)
    if request.method == "POST":
        done = _handle(request, org, action, point_form, role_form)
        if done:
            messages.success(request, done)
            return redirect("actors:contact_points", pk=org.pk)
    context = {
        "org": org,
        "points": queries.contact_points_for(org),
        "roles": queries.contact_roles_for(org),
        "point_form": point_form,
        "role_form": role_form,
    }
    status = 400 if point_form.errors or role_form.errors else 200
    return render(request, "actors/contact_points.html", context, status=status)


def _handle(
    request: HttpRequest, org: Any, action: str, point_form: Any, role_form: Any
) -> str | None:
    if action == "remove":
        point = queries.contact_points_for(org).filter(pk=request.POST.get("point") or 0).first()
        if point is not None:
            contactservices.remove_contact_point(by=request.user, point=point)
            return _("Kontaktpunktet er fjernet.")
        messages.error(request, _("Fant ikke kontaktpunktet."))
        return None
    form = point_form if action == "add" else role_form if action == "role" else None
    if form is None or not form.is_valid():
        return None
    try:
        if action == "add":
            contactservices.add_contact_point(
                by=request.user, organisation=org, **form.cleaned_data
            )
            return _("Kontaktpunktet er lagt til.")
        contactservices.set_contact_role(by=request.user, organisation=org, **form.cleaned_data)
        return _("%(role)s er lagret.") % {"role": ContactRoleKind(form.cleaned_data["role"]).label}
    except (ValidationError, PermissionDenied) as exc:
        _errors_into(form, exc)
        return None


@login_required
def contact_import(request: HttpRequest) -> HttpResponse:
    """The national import of every organisation's contact points (national administrators)."""
    if not is_national_administrator(request.user):
        raise Forbidden(_("Bare nasjonale administratorer kan importere kontaktpunkter."))
    fmt = request.GET.get("mal")
    if fmt in {"csv", "xlsx"}:
        return template_response("kontaktpunkter", HEADER, EXAMPLE, fmt)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = import_contact_points(
                by=request.user, rows=read_rows(form.cleaned_data["file"])
            )
        except ValidationError as exc:
            form.add_error("file", exc)
    return render(
        request, "actors/contact_import.html", {"form": form, "result": result, "header": HEADER}
    )


@login_required
def reachability(request: HttpRequest) -> HttpResponse:
    """Organisations with no contact point or no active user, among those the user follows up."""
    if not queries.may_see_reachability(request.user):
        raise Forbidden(_("Oversikten er for statsforvalteren og sekretariatet."))
    rows = queries.unreachable_organisations(request.user)
    search = request.GET.get("q", "").strip()[:100]
    if search:
        rows = rows.filter(name__icontains=search)
    context = {
        "page": paginate(request, rows, per_page=50),
        "qs": querystring_without_page(request),
        "q": search,
        "total": queries.overseen_organisations(request.user).count(),
    }
    return render(request, "actors/reachability.html", context)
