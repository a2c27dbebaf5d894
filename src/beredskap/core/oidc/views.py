"""Sign-in through an identity provider: start, the provider's answer, and logout."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from beredskap.core import accounts, twofactor
from beredskap.core.accountmodels import ExternalIdentity
from beredskap.core.audit import record_event
from beredskap.core.oidc import client, config

#: Session key of an invitation being accepted through a provider (set by the invitation page).
INVITATION_SESSION_KEY = "oidc_invitation"


def safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if (
        url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return default


def _provider_or_404(slug: str) -> config.Provider:
    provider = config.provider(slug)
    if provider is None:
        raise Http404("Ukjent identitetsleverandør")
    return provider


def _refused(request: HttpRequest, provider: config.Provider, message: str) -> HttpResponse:
    record_event("login_refused", detail={"provider": provider.slug, "reason": message[:300]})
    context = {"message": message, "provider": provider}
    return render(request, "core/accounts/sign_in_refused.html", context, status=403)


def start_view(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider_or_404(slug)
    try:
        url = client.begin(request, provider, next_url=safe_next(request))
    except client.SignInRefused as exc:
        return _refused(request, provider, str(exc))
    return redirect(url)


def callback_view(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider_or_404(slug)
    try:
        identity, next_url = client.complete(request, provider)
        invitation = request.session.pop(INVITATION_SESSION_KEY, None)
        known = ExternalIdentity.objects.filter(
            provider=identity.provider, subject=identity.subject
        ).exists()
        if invitation and not known:
            user = accounts.accept_invitation_with_identity(secret=invitation, identity=identity)
        else:
            user = accounts.user_for_identity(identity)
    except client.SignInRefused as exc:
        return _refused(request, provider, str(exc))
    login(request, user, backend=accounts.BACKEND_PATH)
    request.session[client.LOGOUT_SESSION_KEY] = {
        "provider": provider.slug,
        "id_token": identity.id_token,
    }
    if identity.strong:
        twofactor.mark_verified_by_identity_provider(
            request, provider=provider.slug, acr=identity.acr, amr=identity.amr
        )
    record_event(
        "login",
        actor=user,
        detail={
            "provider": provider.slug,
            "acr": identity.acr,
            "amr": identity.amr,
            "two_factor_by_provider": identity.strong,
        },
    )
    if user.needs_two_factor and not twofactor.session_is_verified(request):
        return redirect(f"{reverse('core:two_factor')}?next={next_url}")
    return redirect(next_url)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """End the local session, then the provider's (RP-initiated logout) when it supports it."""
    signed_in = request.session.get(client.LOGOUT_SESSION_KEY)
    if request.user.is_authenticated:
        record_event("logout", actor=request.user)
    logout(request)
    login_url = reverse("core:login")
    provider = config.provider(signed_in["provider"]) if signed_in else None
    if provider is not None and signed_in is not None:
        url = client.end_session_url(
            provider,
            id_token=signed_in["id_token"],
            after=settings.BEREDSKAP_BASE_URL + login_url,
        )
        if url:
            return redirect(url)
    return redirect(login_url)
