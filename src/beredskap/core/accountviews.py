"""Pages of one's own account: password change and reset, accepting an invitation."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beredskap.core import accounts, twofactor
from beredskap.core.audit import record_event
from beredskap.core.oidc import config
from beredskap.core.oidc.views import INVITATION_SESSION_KEY


def local_login_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Password pages do not exist where local passwords are switched off."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.BEREDSKAP_LOCAL_LOGIN:
            raise Http404(_("Lokale passord er slått av i denne installasjonen."))
        return view(request, *args, **kwargs)

    return wrapped


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password; the current one is required and other sessions end (Django rotates
    the session hash), so a stolen session dies with the old password."""

    template_name = "core/accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if (
            user.is_authenticated
            and user.needs_two_factor
            and not twofactor.session_is_verified(request)
        ):
            return redirect(f"{reverse('core:two_factor')}?next={request.path}")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record_event("password_changed", actor=self.request.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail. The answer is the same whether the address is known or not,
    so the page cannot be used to find out who has an account."""

    template_name = "core/accounts/password_reset.html"
    email_template_name = "core/accounts/password_reset_email.txt"
    subject_template_name = "core/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {
            "base_url": settings.BEREDSKAP_BASE_URL,
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        }
        record_event("password_reset_requested", detail={"email": form.cleaned_data["email"][:254]})
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the link; the link works once and expires
    (PASSWORD_RESET_TIMEOUT; Django's token changes with the password and the last login)."""

    template_name = "core/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record_event("password_reset", actor=form.user)
        return response


class InvitationNameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Fullt navn"), max_length=200)


def invitation_view(request: HttpRequest, secret: str) -> HttpResponse:
    """First sign-in: set a password, or bind an identity at one of the configured providers."""
    invitation = accounts.open_invitation(secret)
    if invitation is None:
        return render(request, "core/accounts/invitation_invalid.html", status=410)
    providers = config.providers()
    chosen = request.POST.get("provider") if request.method == "POST" else None
    if chosen:
        if chosen not in {p.slug for p in providers}:
            raise Http404(_("Ukjent identitetsleverandør"))
        request.session[INVITATION_SESSION_KEY] = secret
        return redirect("oidc:start", slug=chosen)
    local = settings.BEREDSKAP_LOCAL_LOGIN
    posted = request.POST if request.method == "POST" and local else None
    name_form = InvitationNameForm(posted, prefix="person")
    password_form = SetPasswordForm(invitation.user, posted)
    if posted is not None and name_form.is_valid() and password_form.is_valid():
        try:
            user = accounts.accept_invitation_with_password(
                secret=secret,
                password=password_form.cleaned_data["new_password1"],
                name=name_form.cleaned_data["name"],
            )
        except ValidationError as exc:
            password_form.add_error(None, exc)
        else:
            login(request, user, backend=accounts.BACKEND_PATH)
            record_event("login", actor=user, detail={"method": "invitation"})
            if user.needs_two_factor:
                return redirect("core:two_factor")
            return redirect("core:home")
    context = {
        "invitation": invitation,
        "providers": providers,
        "local_login": local,
        "name_form": name_form,
        "password_form": password_form,
    }
    return render(request, "core/accounts/invitation.html", context)
