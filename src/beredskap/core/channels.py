"""Delivery channels (in-app, e-mail, SMS) behind one interface, shared by every app that sends.

A channel takes an OutgoingMessage and returns a DeliveryResult per address. In-app delivery is
the recipient row itself (shown on the start page); e-mail goes through Django's configured mail
backend (SMTP in production); SMS goes through a generic HTTP gateway (POST JSON with a bearer
token — most Norwegian SMS providers offer such an endpoint). A failure keeps what the server
answered and says whether trying again could help (`permanent`): a refused recipient will be
refused again, a refused connection may not be.
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection


@dataclass(frozen=True)
class OutgoingMessage:
    subject: str
    body: str
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class DeliveryResult:
    address: str
    ok: bool
    error: str = ""
    permanent: bool = False


class Channel:
    name = ""

    def send(self, message: OutgoingMessage) -> list[DeliveryResult]:
        raise NotImplementedError


class InAppChannel(Channel):
    """Shown in the application (start page and notification page); always delivered."""

    name = "in_app"

    def send(self, message: OutgoingMessage) -> list[DeliveryResult]:
        return [DeliveryResult(address="", ok=True)]


class EmailChannel(Channel):
    """E-mail through Django's mail backend; one message per address so one failure is isolated."""

    name = "email"

    def send(self, message: OutgoingMessage) -> list[DeliveryResult]:
        results = []
        connection = get_connection(
            fail_silently=False, timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 10
        )
        for address in message.addresses:
            try:
                EmailMessage(
                    message.subject,
                    message.body,
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                    connection=connection,
                ).send()
                results.append(DeliveryResult(address=address, ok=True))
            except Exception as exc:  # noqa: BLE001 — any transport failure is recorded, not raised
                results.append(_smtp_failure(address, exc))
        return results


def _smtp_failure(address: str, exc: Exception) -> DeliveryResult:
    """The server's own answer ("550 5.1.1 No such user"); a 5xx answer is permanent."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, answer = next(iter(exc.recipients.values()))
        return _answer(address, code, answer)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _answer(address, exc.smtp_code, exc.smtp_error)
    return DeliveryResult(address=address, ok=False, error=str(exc)[:300] or type(exc).__name__)


def _answer(address: str, code: int, answer: bytes | str) -> DeliveryResult:
    text = answer.decode("utf8", "replace") if isinstance(answer, bytes) else str(answer)
    return DeliveryResult(
        address=address, ok=False, error=f"{code} {text}"[:300], permanent=500 <= code < 600
    )


class HttpSmsChannel(Channel):
    """A generic HTTP SMS gateway: one POST of JSON ``{"from", "to", "text"}`` per number with
    ``Authorization: Bearer <token>``; any 2xx answer is accepted, anything else is a failure
    carrying the gateway's answer (4xx other than 429 is permanent)."""

    name = "sms"

    def send(self, message: OutgoingMessage) -> list[DeliveryResult]:
        url = getattr(settings, "BEREDSKAP_SMS_URL", "")
        if not url:
            error = "SMS-gateway er ikke satt opp (BEREDSKAP_SMS_URL mangler)."
            return [DeliveryResult(a, False, error, permanent=True) for a in message.addresses]
        text = f"{message.subject}\n{message.body}" if message.subject else message.body
        return [self._post(url, address, text) for address in message.addresses]

    def _post(self, url: str, address: str, text: str) -> DeliveryResult:
        payload = {"from": getattr(settings, "BEREDSKAP_SMS_SENDER", ""), "to": address}
        request = urllib.request.Request(  # noqa: S310 — the URL is the operator's setting
            url,
            data=json.dumps({**payload, "text": text}).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {getattr(settings, 'BEREDSKAP_SMS_TOKEN', '')}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                response.read()
            return DeliveryResult(address=address, ok=True)
        except urllib.error.HTTPError as exc:
            answer = exc.read().decode("utf8", "replace").strip()
            permanent = 400 <= exc.code < 500 and exc.code != 429
            error = f"HTTP {exc.code}: {answer or exc.reason}"[:300]
            return DeliveryResult(address=address, ok=False, error=error, permanent=permanent)
        except (OSError, ValueError) as exc:
            return DeliveryResult(address=address, ok=False, error=str(exc)[:300])


CHANNELS: dict[str, Channel] = {
    c.name: c for c in (InAppChannel(), EmailChannel(), HttpSmsChannel())
}
