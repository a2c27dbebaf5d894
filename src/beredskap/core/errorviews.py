"""Norwegian error pages (400, 403, 404, 500, CSRF) that say why and what to do.

Django's defaults are bare English pages without the site's navigation. These extend the site's
base template; under `/api/` they answer JSON instead, like the rest of the API (a
machine-readable body a client can act on). The 500 page is rendered without the request's context
processors or any database access, because what broke may be the database itself.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from beredskap.core import apierrors
from beredskap.core.context_processors import _nav_items

logger = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _page(request: HttpRequest, status: int, template: str, reason: str = "") -> HttpResponse:
    html = loader.render_to_string(template, {"reason": reason, "status": status}, request)
    return HttpResponse(html, status=status)


def _reason(exception: Exception | None) -> str:
    """A message the code chose to show (PermissionDenied("…")), never an internal detail."""
    if exception is None or not exception.args:
        return ""
    first = exception.args[0]
    return first if isinstance(first, str) and len(first) < 300 else ""


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Ugyldig forespørsel."), "code": "bad_request"}, status=400
        )
    return _page(request, 400, "errors/400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = _reason(exception)
    if _is_api(request):
        detail = reason or _("Du har ikke tilgang.")
        return JsonResponse({"detail": detail, "code": "permission_denied"}, status=403)
    return _page(request, 403, "errors/403.html", reason)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Finnes ikke."), "code": "not_found"}, status=404)
    return _page(request, 404, "errors/404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors: no session, user or database lookups. A database
    that is away is a 503 with Retry-After (RFC 9110 15.6.4): the client should try again."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return _unavailable(request)
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Intern feil. Feilen er logget."), "code": "server_error"}, status=500
        )
    try:
        nav_items = _nav_items()
    except Exception:  # the URL configuration itself may be what failed
        nav_items = []
    html: str
    try:
        html = loader.render_to_string(
            "errors/500.html", {"nav_items": nav_items, "status": 500, "safe_mode": True}
        )
    except Exception:
        logger.exception("the 500 page itself could not be rendered")
        html = (
            '<!DOCTYPE html><html lang="nb"><meta charset="utf-8"><title>Feil – Beredskap</title>'
            "<h1>Noe gikk galt hos oss</h1><p>Feilen er logget. Prøv igjen om litt; "
            'vedvarer den, kontakt driftsansvarlig.</p><p><a href="/">Til forsiden</a></p></html>'
        )
    return HttpResponse(html, status=500)


def _unavailable(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return apierrors.unavailable()
    response = HttpResponse(
        _("Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = apierrors.RETRY_AFTER_SECONDS
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token (an old tab, or cookies blocked)."""
    if _is_api(request):
        return JsonResponse(
            {"detail": _("CSRF-kontrollen feilet."), "code": "csrf_failed"}, status=403
        )
    return _page(request, 403, "errors/csrf.html")
