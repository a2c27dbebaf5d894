"""Views of the shell: sign-in, two-factor, API tokens, password, the start page, the audit
trail."""

from __future__ import annotations

import csv
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from beredskap.core import audit, auditview, queries, security, tokens
from beredskap.core.apiauth import issue_token
from beredskap.core.csvsafe import safe_cell
from beredskap.core.forms import (
    ApiTokenForm,
    AuditFilterForm,
    LoginForm,
    TokenForm,
    TotpReplaceForm,
    TwoFactorResetForm,
)
from beredskap.core.paging import paginate, querystring_without_page


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        audit.record_event("login", actor=form.user)
        if form.user.needs_two_factor:
            return redirect(f"/konto/tofaktor/?next={_safe_next(request)}")
        return redirect(_safe_next(request))
    return render(request, "core/login.html", {"form": form, "next": _safe_next(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:login")


@login_required
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Verify TOTP, or set it up on first use (required above UGRADERT)."""
    device = security.confirmed_totp_device(request.user)
    setting_up = device is None
    if setting_up:
        device = security.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save()
            otp_login(request, device)
            audit.record_event("two_factor_verified", actor=request.user)
            return redirect(_safe_next(request))
        form.add_error("token", _("Koden stemmer ikke. Prøv igjen."))
    context = {"form": form, "setting_up": setting_up, "next": _safe_next(request)}
    if setting_up:
        context["qr_svg"] = segno.make(device.config_url).svg_inline(
            scale=4, title=_("QR-kode for tofaktor")
        )
        context["secret"] = device.bin_key.hex()
    return render(request, "core/two_factor.html", context)


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", queries.start_page(request.user))


@login_required
def audit_view(request: HttpRequest) -> HttpResponse:
    """The audit trail for auditors: every entry, its content under the access rule
    (`core.auditview`), filtered, paged, or as CSV."""
    if not request.user.is_auditor:
        raise PermissionDenied(_("Revisjonssporet er bare tilgjengelig for revisorer."))
    form = AuditFilterForm(request.GET or None)
    events = queries.audit_events(form.cleaned_data if form.is_valid() else {})
    if request.GET.get("format") == "csv":
        return _audit_csv(request, events)
    page = paginate(request, events, per_page=50)
    page.object_list = auditview.audit_rows(request.user, page.object_list)
    params = request.GET.copy()
    params.pop("side", None)
    params["format"] = "csv"
    context = {
        "form": form,
        "page": page,
        "qs": querystring_without_page(request),
        "csv_qs": params.urlencode(),
    }
    return render(request, "core/audit.html", context)


AUDIT_CSV_CHUNK = 500


def _audit_csv(request: HttpRequest, events: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="revisjonsspor.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Tid"),
            _("Bruker"),
            _("Handling"),
            _("Posttype"),
            _("Id"),
            _("Gradering"),
            _("Post"),
            _("Endring"),
        ]
    )
    paginator = Paginator(events, AUDIT_CSV_CHUNK)
    for number in paginator.page_range:
        for row in auditview.audit_rows(request.user, paginator.page(number).object_list):
            writer.writerow([safe_cell(v) for v in auditview.csv_values(row)])
    audit.record_event(
        "export",
        actor=request.user,
        label="core.auditevent",
        detail={"what": "audit_csv", "filters": request.GET.urlencode()[:500]},
    )
    return response


def ping_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def api_tokens_view(request: HttpRequest) -> HttpResponse:
    """Machine-client tokens of the signed-in user: create (secret shown once) and revoke.

    A token remembers whether this session completed two-factor; only then may it read
    above UGRADERT."""
    new_secret = None
    form = ApiTokenForm(
        request.POST if request.method == "POST" and "name" in request.POST else None
    )
    if request.method == "POST" and request.POST.get("revoke"):
        if tokens.revoke(user=request.user, token_id=request.POST["revoke"]):
            messages.success(request, _("Nøkkelen er trukket tilbake."))
        return redirect("core:api_tokens")
    if form.is_bound and form.is_valid():
        new_secret = issue_token(
            user=request.user,
            name=form.cleaned_data["name"].strip(),
            verified=request.user.is_verified(),
            scope=form.cleaned_data["scope"],
        )
        form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": tokens.active_tokens(request.user).order_by("-created_at"),
        "new_secret": new_secret,
        "verified": request.user.is_verified(),
        "days": settings.BEREDSKAP_API_TOKEN_DAYS,
        "administers": bool(tokens.administered_org_ids(request.user)),
    }
    return render(request, "core/api_tokens.html", context)


@login_required
def org_access_view(request: HttpRequest) -> HttpResponse:
    """An organisation administrator's view of her members' API tokens and two-factor:
    revoke a token, or reset a lost second factor (audited with who and why)."""
    if not tokens.administered_org_ids(request.user):
        raise PermissionDenied(_("Bare organisasjonens administrator har tilgang."))
    if request.method == "POST" and request.POST.get("revoke"):
        if tokens.revoke_as_administrator(by=request.user, token_id=request.POST["revoke"]):
            messages.success(request, _("Nøkkelen er trukket tilbake."))
        else:
            messages.error(request, _("Fant ingen slik aktiv nøkkel i din organisasjon."))
        return redirect("core:org_access")
    context = {
        "tokens": tokens.tokens_administered_by(request.user),
        "members": security.members_administered_by(request.user),
    }
    return render(request, "core/org_access.html", context)


@login_required
def two_factor_reset_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """An administrator removes a member's TOTP device (lost phone); the member enrols anew."""
    from django.contrib.auth import get_user_model

    if not request.user.is_verified():
        return redirect(f"/konto/tofaktor/?next={request.path}")
    target = get_user_model().objects.filter(pk=user_id).first()
    if not security.can_reset_two_factor(request.user, target):
        raise PermissionDenied(_("Du kan bare tilbakestille tofaktor for egne medarbeidere."))
    form = TwoFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        security.reset_two_factor(by=request.user, user=target, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Tofaktor er tilbakestilt for %(user)s. Ny enhet settes opp ved neste innlogging.")
            % {"user": target.username},
        )
        return redirect("core:org_access")
    return render(request, "core/two_factor_reset.html", {"form": form, "target": target})


@login_required
def two_factor_replace_view(request: HttpRequest) -> HttpResponse:
    """Move two-factor to a new device: a code from the current device and one from the new."""
    if security.confirmed_totp_device(request.user) is None:
        return redirect("core:two_factor")
    device = security.pending_totp_device(request.user)
    form = TotpReplaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if security.replace_totp_device(
            user=request.user,
            current_code=form.cleaned_data["current"],
            new_code=form.cleaned_data["new"],
        ):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, _("Tofaktor er flyttet til den nye enheten."))
            return redirect("core:api_tokens")
        form.add_error(None, _("En av kodene stemmer ikke. Enheten er ikke byttet."))
    context = {
        "form": form,
        "qr_svg": segno.make(device.config_url).svg_inline(
            scale=4, title=_("QR-kode for tofaktor")
        ),
        "secret": device.bin_key.hex(),
    }
    return render(request, "core/two_factor_replace.html", context)
