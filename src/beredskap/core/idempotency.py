"""Idempotency-Key support for API writes.

A client that retries a write with the same key gets the stored answer instead of a second
record; the same key with a different body is refused with 422. A retry that overlaps the
original (the normal case when a client times out and sends again) waits for the original and
replays its answer: the key is claimed by inserting its row in the same transaction as the
write, so a second insert of the same key waits on the unique index until the first
transaction ends (PostgreSQL; SQLite serialises writers) and then finds the stored answer.
A write that is refused (status 300 or more) or fails leaves no claim, so it can be retried.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException

from beredskap.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
PENDING = 0


def _request_hash(request: HttpRequest) -> str:
    """A digest of what the request asks for: method, path and body.

    A multipart body has already been parsed by the time the view runs (its raw bytes can no
    longer be read), so it is digested from its fields and files instead.
    """
    digest = hashlib.sha256((request.method or "").encode() + request.path.encode())
    try:
        digest.update(request.body or b"")
    except RawPostDataException:
        for name, values in sorted(request.POST.lists()):
            digest.update(json.dumps([name, values]).encode())
        for name, upload in sorted(request.FILES.items()):
            digest.update(name.encode() + (upload.name or "").encode())
            upload.seek(0)
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _claim(request: HttpRequest, key: str, request_hash: str) -> IdempotencyRecord | None:
    """Insert the key's row, or None when another request holds (or held) the key."""
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                user=request.auth,
                key=key,
                method=request.method or "",
                path=request.path[:500],
                request_hash=request_hash,
                status_code=PENDING,
                body="",
            )
    except IntegrityError:
        return None


def idempotent(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a ninja write endpoint that returns ``Status(code, payload-dict)`` or an
    HttpResponse."""

    @functools.wraps(func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return _as_response(func(request, *args, **kwargs))
        if len(key) > 200:
            return JsonResponse(
                {"detail": "Idempotency-Key er for lang (maks 200 tegn).", "code": "invalid_key"},
                status=400,
            )
        request_hash = _request_hash(request)
        stored = IdempotencyRecord.objects.filter(user=request.auth, key=key).first()
        if stored is not None:
            return _replay(stored, request_hash)
        with transaction.atomic():
            claim = _claim(request, key, request_hash)
            if claim is not None:
                response = _as_response(func(request, *args, **kwargs))
                if response.status_code >= 300:
                    transaction.set_rollback(True)
                elif response.get("Content-Type", "").startswith("application/json"):
                    IdempotencyRecord.objects.filter(pk=claim.pk).update(
                        status_code=response.status_code, body=response.content.decode()
                    )
                else:  # a file: not replayable, so the key is not kept
                    IdempotencyRecord.objects.filter(pk=claim.pk).delete()
                return response
        stored = IdempotencyRecord.objects.filter(user=request.auth, key=key).first()
        return _replay(stored, request_hash)

    return wrapper


def _json_value(value: Any) -> Any:
    """A response schema (pydantic) as its JSON fields; anything else as text (dates, ids)."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return str(value)


def _as_response(result: Any) -> HttpResponse:
    if isinstance(result, HttpResponse):
        return result
    body = json.dumps(result.value, default=_json_value)
    return HttpResponse(body, status=result.status_code, content_type="application/json")


def _replay(stored: IdempotencyRecord | None, request_hash: str) -> HttpResponse:
    if stored is None or stored.status_code == PENDING:
        busy = JsonResponse(
            {
                "detail": "En forespørsel med samme Idempotency-Key er fortsatt under arbeid.",
                "code": "idempotency_in_progress",
            },
            status=409,
        )
        busy["Retry-After"] = "2"
        return busy
    if stored.request_hash != request_hash:
        return JsonResponse(
            {
                "detail": "Idempotency-Key er brukt før med en annen forespørsel.",
                "code": "idempotency_mismatch",
            },
            status=422,
        )
    replay = HttpResponse(stored.body, status=stored.status_code, content_type="application/json")
    replay["Idempotent-Replayed"] = "true"
    return replay
