"""Delivery channels (in-app, e-mail, SMS) behind one interface, shared by every app that sends.

A channel takes an OutgoingMessage and returns a DeliveryResult. In-app delivery is the
recipient row itself (shown on the start page); e-mail goes through Django's configured mail
backend (SMTP in production). An SMS gateway is added by writing one more Channel subclass and
registering it in CHANNELS.
"""

from __future__ import annotations

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
                results.append(DeliveryResult(address=address, ok=False, error=str(exc)[:300]))
        return results


CHANNELS: dict[str, Channel] = {c.name: c for c in (InAppChannel(), EmailChannel())}
