"""Request middleware: NUL-byte guard, Content-Security-Policy, audit actor, required two-factor,
no-store caching."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from beredskap.core.access import mark_unverified
from beredskap.core.audit import acting_as

STRICT_CSP = "; ".join(
    [
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
    ]
)
# The API's Swagger UI (served from the installation, no CDN) sets inline styles.
DOCS_CSP = STRICT_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


_JSON_TYPES = ("application/json", "application/fhir+json")


def _carries_nul(request: HttpRequest) -> bool:
    """NUL in the path, the query, form fields or a JSON body (files may legitimately hold NUL
    bytes)."""
    if "\x00" in request.path or any(
        "\x00" in v for values in request.GET.lists() for v in values[1]
    ):
        return True
    content_type = request.content_type or ""
    if content_type in _JSON_TYPES:
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
    if request.method == "POST" and content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return any("\x00" in v for values in request.POST.lists() for v in values[1])
    return False


class RejectNulBytesMiddleware:
    """Refuse input containing NUL characters with 400 (PostgreSQL text cannot hold them;
    bad input gets a clear error, never a 500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            message = "Forespørselen inneholder ugyldige tegn (NUL)."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "invalid_characters"}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _with_identity_providers(policy: str) -> str:
    """Forms may also lead to the configured identity providers: an invitation's «Bruk
    HelseID» and sign-out are forms whose redirect ends at the provider, and browsers apply
    ``form-action`` to every step of a redirect chain."""
    origins = sorted(
        {f"{parts.scheme}://{parts.netloc}" for parts in map(urlsplit, _issuers()) if parts.netloc}
    )
    if not origins:
        return policy
    return policy.replace("form-action 'self'", "form-action 'self' " + " ".join(origins))


def _issuers() -> list[str]:
    """Read from the settings as they are (checked at start-up) without loading keys."""
    from django.conf import settings

    return [str(item.get("issuer", "")) for item in settings.BEREDSKAP_OIDC_PROVIDERS]


class ContentSecurityPolicyMiddleware:
    """A strict CSP on every response: only the installation's own assets (closed health
    networks: nothing is loaded from outside)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = DOCS_CSP if request.path.startswith("/api/v1/docs") else STRICT_CSP
        response.setdefault("Content-Security-Policy", _with_identity_providers(policy))
        response.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response


class AuditActorMiddleware:
    """Attribute every change made while handling a request to the signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)


#: Paths a signed-in user may reach before completing two-factor: signing in and out, the
#: two-factor page itself, language switching and static files. The API answers for itself
#: (an unverified session gets 401 there, an unverified token reads at UGRADERT only).
OPEN_PATHS = ("/konto/logg-inn/", "/konto/logg-ut/", "/konto/tofaktor/")
OPEN_PATH_PREFIXES = ("/i18n/", "/static/", "/api/", "/favicon", "/ping/")


class RequireTwoFactorMiddleware:
    """Clearance counts only after a second factor (NSM grunnprinsipper 2.6).

    Every request whose session has not completed TOTP is marked unverified, which caps the
    access context at UGRADERT on every read path; users cleared above UGRADERT are in
    addition sent to the two-factor page from every page but the few in OPEN_PATHS.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            mark_unverified(user)
            if user.needs_two_factor and not _is_open(request.path):
                return redirect(f"{reverse('core:two_factor')}?next={quote(request.path)}")
        return self.get_response(request)


def _is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PATH_PREFIXES)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response but static files: pages, API answers and
    exports may hold classified content, which must not stay in a browser's or a proxy's
    cache (NSM grunnprinsipper 2.8: protect data at rest on clients)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(("/static/", "/favicon")):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
