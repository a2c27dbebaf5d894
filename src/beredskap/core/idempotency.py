"""Idempotency-Key support for API writes (DESIGN.md rule 3).

A client that retries a write with the same key gets the stored answer instead of a second
record; the same key with a different body is refused with 422.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from beredskap.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"


def _request_hash(request: HttpRequest) -> str:
    return hashlib.sha256(
        request.method.encode() + request.path.encode() + (request.body or b"")
    ).hexdigest()


def idempotent(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a ninja write endpoint that returns ``Status(code, payload-dict)`` or an HttpResponse."""

    @functools.wraps(func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.headers.get(HEADER, "").strip()
        if key and len(key) > 200:
            return JsonResponse(
                {"detail": "Idempotency-Key er for lang (maks 200 tegn).", "code": "invalid_key"},
                status=400,
            )
        if key:
            stored = IdempotencyRecord.objects.filter(user=request.auth, key=key).first()
            if stored is not None:
                return _replay(stored, _request_hash(request))
        with transaction.atomic():
            result = func(request, *args, **kwargs)
            if isinstance(result, HttpResponse):
                return result
            status, payload = result.status_code, result.value
            body = json.dumps(payload, default=str)
            if key and status < 300:
                try:
                    with transaction.atomic():
                        IdempotencyRecord.objects.create(
                            user=request.auth,
                            key=key,
                            method=request.method or "",
                            path=request.path[:500],
                            request_hash=_request_hash(request),
                            status_code=status,
                            body=body,
                        )
                except IntegrityError:
                    transaction.set_rollback(True)
                    stored = IdempotencyRecord.objects.get(user=request.auth, key=key)
                    return _replay(stored, _request_hash(request))
        return HttpResponse(body, status=status, content_type="application/json")

    return wrapper


def _replay(stored: IdempotencyRecord, request_hash: str) -> HttpResponse:
    if stored.request_hash != request_hash:
        return JsonResponse(
            {
                "detail": "Idempotency-Key er brukt før med en annen forespørsel.",
                "code": "idempotency_mismatch",
            },
            status=422,
        )
    response = HttpResponse(stored.body, status=stored.status_code, content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response
