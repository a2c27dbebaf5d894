"""The delivery channels against local servers started by the test: SMTP (aiosmtpd) with a
refused recipient, and a generic HTTP SMS gateway (http.server in a thread)."""

from __future__ import annotations

import pytest

from beredskap.core.channels import CHANNELS, OutgoingMessage
from tests.fakeservers import free_port, sms_gateway, smtp_server


def _message(*addresses: str) -> OutgoingMessage:
    return OutgoingMessage(subject="Varsel", body="Møt i staben", addresses=addresses)


def test_email_to_a_refused_recipient_fails_with_the_servers_answer_and_others_are_sent(
    settings,
):  # type: ignore[no-untyped-def]
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        inbox.refuse.add("borte@kommune.test")
        ok, refused = CHANNELS["email"].send(_message("vakt@kommune.test", "borte@kommune.test"))
    assert ok.ok and not ok.error
    assert not refused.ok and refused.permanent
    assert refused.error.startswith("550") and "No such user" in refused.error
    assert [rcpt for rcpt, _body in inbox.messages] == [["vakt@kommune.test"]]


def test_email_to_a_server_that_is_down_is_a_temporary_failure(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    (result,) = CHANNELS["email"].send(_message("vakt@kommune.test"))
    assert not result.ok and not result.permanent
    assert "refused" in result.error.lower()


def test_sms_posts_json_with_the_token_and_sender_to_the_gateway(settings):  # type: ignore[no-untyped-def]
    with sms_gateway() as gateway:
        settings.BEREDSKAP_SMS_URL = gateway.url
        settings.BEREDSKAP_SMS_TOKEN, settings.BEREDSKAP_SMS_SENDER = "tok-1", "Beredskap"
        (result,) = CHANNELS["sms"].send(_message("+4791234567"))
    assert result.ok and result.address == "+4791234567"
    (received,) = gateway.received
    assert received["authorization"] == "Bearer tok-1"
    assert received["json"]["to"] == "+4791234567"
    assert received["json"]["from"] == "Beredskap"
    assert "Møt i staben" in received["json"]["text"]


@pytest.mark.parametrize(
    ("status", "permanent"), [(400, True), (401, True), (429, False), (500, False), (503, False)]
)
def test_a_gateway_answer_other_than_2xx_is_a_failure_with_its_answer(settings, status, permanent):  # type: ignore[no-untyped-def]
    with sms_gateway() as gateway:
        gateway.status, gateway.answer = status, '{"error": "ugyldig nummer"}'
        settings.BEREDSKAP_SMS_URL = gateway.url
        (result,) = CHANNELS["sms"].send(_message("+4791234567"))
    assert not result.ok and result.permanent is permanent
    assert result.error.startswith(f"HTTP {status}") and "ugyldig nummer" in result.error


def test_sms_without_a_configured_gateway_is_refused_not_claimed_sent(settings):  # type: ignore[no-untyped-def]
    settings.BEREDSKAP_SMS_URL = ""
    (result,) = CHANNELS["sms"].send(_message("+4791234567"))
    assert not result.ok and result.permanent and "BEREDSKAP_SMS_URL" in result.error


def test_sms_to_a_gateway_that_is_down_is_a_temporary_failure(settings):  # type: ignore[no-untyped-def]
    settings.BEREDSKAP_SMS_URL = f"http://127.0.0.1:{free_port()}/sms"
    (result,) = CHANNELS["sms"].send(_message("+4791234567"))
    assert not result.ok and not result.permanent and result.error
