"""The one ninja API object, versioned under /api/v1/, mounting each app's router (so a read-only
field is never accepted on input). Errors are machine-readable: {"detail": ..., "code": ...}."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from beredskap.core.apiauth import API_AUTH, TokenAuth
from beredskap.core.apierrors import install as install_error_answers
from beredskap.core.errors import Conflict, PermissionDenied, StaleEdit


def signed_in_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and its docs page list every route and field of the API: a map for an
    attacker, so only signed-in users (session or a valid token) get them; others 401."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _signed_in(request):
            return JsonResponse(
                {"detail": "Innlogging kreves.", "code": "unauthenticated"}, status=401
            )
        return view(request, *args, **kwargs)

    return wrapper


def _signed_in(request: HttpRequest) -> bool:
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return True
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return scheme.lower() == "bearer" and bool(TokenAuth().authenticate(request, token.strip()))


api = NinjaAPI(
    title="Beredskap API",
    version="1",
    description=(
        "Helseberedskap etter Meld. St. 5 (2023–2024). Token: `Authorization: Bearer <token>`."
    ),
    auth=API_AUTH,
    urls_namespace="api-v1",
    docs_url="/docs",
    docs_decorator=signed_in_only,
)
install_error_answers(api)  # 422 with a code, 400 for values the database cannot hold, 503


def _validation_detail(exc: ValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": f, "message": str(m)} for f, errs in exc.message_dict.items() for m in errs
        ]
    return [{"field": "", "message": str(m)} for m in exc.messages]


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _validation_detail(exc), "code": "invalid"}, status=400
    )


@api.exception_handler(Conflict)
def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    """A uniqueness rule refused the write (pre-check or database constraint): 409, not 400."""
    return api.create_response(
        request, {"detail": _validation_detail(exc), "code": "duplicate"}, status=409
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "code": "forbidden"}, status=403)


@api.exception_handler(StaleEdit)
def on_stale_edit(request: HttpRequest, exc: StaleEdit) -> HttpResponse:
    body = {"detail": str(exc), "code": "stale_version", "current_version": exc.current_version}
    return api.create_response(request, body, status=409)


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Konflikt med eksisterende data.", "code": "conflict"}, status=409
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Finnes ikke eller ingen tilgang.", "code": "not_found"}, status=404
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "Innlogging kreves.", "code": "unauthenticated"}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="beredskap"'  # RFC 6750 section 3
    return response


APPS_WITH_ROUTERS = [
    "core",
    "actors",
    "risk",
    "planning",
    "exercises",
    "commitments",
    "capacity",
    "operations",
    "modelling",
    "surveillance",
]


def _log_reads(view):
    """Every API answer logs the classified records it carries as read by the caller (who read a
    classified record, for the auditors). Lazy results are loaded here, inside the logging block,
    rather than during serialisation after it."""
    import functools

    from django.db.models import QuerySet

    from beredskap.core.audit import reading_as

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        with reading_as(request.auth):
            result = view(request, *args, **kwargs)
            if isinstance(result, QuerySet):
                result = list(result)
            elif isinstance(result, dict) and isinstance(result.get("items"), QuerySet):
                result["items"] = list(result["items"])
        return result

    return wrapper


api.add_decorator(_log_reads)


def _mount() -> None:
    from importlib import import_module

    for app in APPS_WITH_ROUTERS:
        api.add_router("/", import_module(f"beredskap.{app}.api").router)


_mount()
