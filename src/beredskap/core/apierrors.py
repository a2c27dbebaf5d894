"""API answers for input the database or the schema cannot take, and for a database that is
away: always JSON with a stable `code`, never an HTML 500 (bad input gets a clear error).

- 422 `validation_error`: the body or parameters do not match the schema (ninja's own
  answer had no `code`).
- 400 `out_of_range`: a number the database cannot store (above 2^63 in SQLite, 2^31 or 2^63
  in PostgreSQL columns).
- 400 `invalid_text`: text the database cannot store (a lone UTF-16 surrogate such as U+D800).
- 503 `unavailable` with Retry-After: the database is restarting or unreachable; the client
  should retry (RFC 9110 15.6.4), and an Idempotency-Key makes that retry safe.

Every operation's OpenAPI entry lists these answers, since any of them can be given by every
operation.
"""

from __future__ import annotations

from typing import Any

from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError

RETRY_AFTER_SECONDS = "5"

# What the global handlers can answer on any operation (besides what it documents itself).
GENERIC_RESPONSES = {
    "400": "Ugyldig forespørsel",
    "401": "Innlogging kreves",
    "403": "Ingen tilgang",
    "404": "Finnes ikke eller ingen tilgang",
    "409": "Konflikt med lagrede data",
    "422": "Inndata følger ikke skjemaet",
    "503": "Databasen er midlertidig utilgjengelig",
}


def unavailable() -> JsonResponse:
    response = JsonResponse(
        {
            "detail": "Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt.",
            "code": "unavailable",
        },
        status=503,
    )
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def _clean_errors(errors: list[Any]) -> list[dict[str, Any]]:
    """Pydantic's errors as JSON: `ctx` may hold exception objects, `input` echoes the input."""
    out = []
    for error in errors:
        item = {k: v for k, v in dict(error).items() if k in ("type", "loc", "msg")}
        item["loc"] = [str(part) for part in item.get("loc", [])]
        out.append(item)
    return out


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api` and add the generic answers to its OpenAPI document."""

    @api.exception_handler(SchemaValidationError)
    def on_schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        body = {"detail": _clean_errors(exc.errors), "code": "validation_error"}
        return api.create_response(request, body, status=422)

    @api.exception_handler(DataError)
    @api.exception_handler(OverflowError)
    def on_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
        body = {
            "detail": "Et tall eller en verdi er utenfor gyldig område.",
            "code": "out_of_range",
        }
        return api.create_response(request, body, status=400)

    @api.exception_handler(UnicodeEncodeError)
    def on_bad_text(request: HttpRequest, exc: Exception) -> HttpResponse:
        body = {"detail": "Teksten inneholder ugyldige tegn.", "code": "invalid_text"}
        return api.create_response(request, body, status=400)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def on_database_away(request: HttpRequest, exc: Exception) -> HttpResponse:
        return unavailable()

    original = api.get_openapi_schema

    def get_openapi_schema(*args: Any, **kwargs: Any) -> Any:
        schema = original(*args, **kwargs)
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                for code, text in GENERIC_RESPONSES.items():
                    responses.setdefault(
                        code,
                        {"description": text, "content": {"application/json": {"schema": ref}}},
                    )
        return schema

    api.get_openapi_schema = get_openapi_schema  # type: ignore[method-assign]
