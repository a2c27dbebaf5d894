"""HTML for national administrators (the secretariat's): new organisations, the governance
line, and unseating members of bodies — what decides need-to-know across organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from beredskap.actors import queries, services
from beredskap.actors.forms_national import (
    BodyMemberRemoveForm,
    GovernanceForm,
    OrganisationCreateForm,
)
from beredskap.actors.permissions import is_national_administrator
from beredskap.actors.views_contacts import _errors_into
from beredskap.core.errors import PermissionDenied, StaleEdit


def _require_national(request: HttpRequest) -> None:
    if not is_national_administrator(request.user):
        raise Forbidden(_("Bare nasjonale administratorer (sekretariatets) har tilgang."))


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    _require_national(request)
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organisation(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Organisasjonen er opprettet."))
            return redirect("actors:organisation_detail", pk=org.pk)
    status = 400 if form.errors else 200
    return render(request, "actors/organisation_create.html", {"form": form}, status=status)


@login_required
def organisation_governance(request: HttpRequest, pk: int) -> HttpResponse:
    _require_national(request)
    org = get_object_or_404(queries.organisations(request.user), pk=pk)
    initial = {
        "version": org.version,
        "kind": org.kind,
        "parent": org.parent_id,
        "health_region": org.health_region_id,
    }
    form = GovernanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, reason = data.pop("version"), data.pop("reason")
        try:
            services.update_organisation(
                by=request.user, org=org, expected_version=version, reason=reason, **data
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        except (ValidationError, PermissionDenied) as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Styringslinjen er endret."))
            return redirect("actors:organisation_detail", pk=org.pk)
    status = 400 if form.errors else 200
    context = {"org": org, "form": form}
    return render(request, "actors/organisation_governance.html", context, status=status)


@login_required
def body_remove_member(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    _require_national(request)
    body = get_object_or_404(queries.bodies(request.user), slug=slug)
    membership = get_object_or_404(queries.body_members(body), pk=member_id)
    form = BodyMemberRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.remove_body_member(
            by=request.user, membership=membership, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Medlemmet er fjernet fra organet."))
    elif request.method == "POST":
        messages.error(request, _("Oppgi begrunnelse for å fjerne medlemmet."))
    return redirect("actors:body_detail", slug=body.slug)
