"""Request middleware: Content-Security-Policy, audit actor, required two-factor."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from beredskap.core.audit import acting_as

STRICT_CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# The API's Swagger UI (served from the installation, no CDN) sets inline styles.
DOCS_CSP = STRICT_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    """A strict CSP on every response: only the installation's own assets (DESIGN.md rule 10)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = DOCS_CSP if request.path.startswith("/api/v1/docs") else STRICT_CSP
        response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response


class AuditActorMiddleware:
    """Attribute every change made while handling a request to the signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)


OPEN_PATH_PREFIXES = ("/konto/", "/i18n/", "/static/", "/api/", "/favicon")


class RequireTwoFactorMiddleware:
    """Users cleared above UGRADERT must complete TOTP before using the site (issue 2, point 6)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATH_PREFIXES)
        ):
            return redirect(f"{reverse('core:two_factor')}?next={request.path}")
        return self.get_response(request)
