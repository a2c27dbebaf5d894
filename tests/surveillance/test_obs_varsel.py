"""The weekly «OBS varsel»: a medical officer picks her municipalities and levels and is e-mailed
the series that reached them, once a week; what each run did is shown to her, failures with the
mail server's answer; nothing she may not see is mailed."""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from beredskap.surveillance import services, subscriptions
from beredskap.surveillance.models import AlertDispatch
from tests.factories import verified_client

from .conftest import seasonal_counts
from .test_signals import BODO, OSLO, outbreak

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(fhi_user, indicator, load_counts):  # type: ignore[no-untyped-def]
    load_counts(fhi_user, indicator, {BODO: outbreak(), OSLO: outbreak()})
    return indicator


@pytest.fixture
def officer(bodo_user):  # type: ignore[no-untyped-def]
    bodo_user.email = "kommuneoverlege@bodo.kommune.no"
    bodo_user.save()
    return bodo_user


def test_she_is_mailed_her_municipality_once_a_week_and_sees_that_it_was_sent(loaded, officer):
    services.subscribe_alerts(by=officer, indicator=loaded, area_codes=[BODO], threshold="medium")
    call_command("send_obs_varsel")
    call_command("send_obs_varsel")  # the same week again: nothing new is sent
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kommuneoverlege@bodo.kommune.no"]
    assert "Bodø" in message.body and "Oslo" not in message.body
    assert "120" in message.body and "/overvaking/serier/" in message.body
    dispatch = AlertDispatch.objects.get()
    assert dispatch.outcome == "sent" and dispatch.series_count == 1
    page = verified_client(officer).get("/overvaking/varsler/").content.decode()
    assert "Sendt" in page and "til kommuneoverlege@bodo.kommune.no (1 kommuner)" in page


def test_she_cannot_subscribe_to_a_municipality_she_may_not_see(loaded, officer):
    with pytest.raises(ValidationError):
        services.subscribe_alerts(by=officer, indicator=loaded, area_codes=[OSLO], threshold="high")
    page = verified_client(officer).get("/overvaking/varsler/").content.decode()
    assert f'value="{BODO}"' in page and f'value="{OSLO}"' not in page


def test_a_quiet_week_sends_nothing_and_says_so(fhi_user, indicator, load_counts, officer):
    counts = list(seasonal_counts(110))
    counts[-1] = 18  # about the expected value
    load_counts(fhi_user, indicator, {BODO: counts})
    subscription = services.subscribe_alerts(
        by=officer, indicator=indicator, area_codes=[BODO], threshold="high"
    )
    subscriptions.send_weekly()
    assert not mail.outbox
    assert subscription.dispatches.get().outcome == "nothing"


def test_without_an_address_nothing_is_called_sent(loaded, bodo_user):
    services.subscribe_alerts(by=bodo_user, indicator=loaded, area_codes=[BODO], threshold="medium")
    subscriptions.send_weekly()
    assert not mail.outbox and AlertDispatch.objects.get().outcome == "no_address"
    page = verified_client(bodo_user).get("/overvaking/varsler/").content.decode()
    assert "Mangler e-postadresse" in page and "ingen e-postadresse registrert" in page


def test_a_refused_connection_is_shown_as_failed_with_the_reason(loaded, officer, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    services.subscribe_alerts(by=officer, indicator=loaded, area_codes=[BODO], threshold="medium")
    subscriptions.send_weekly()
    dispatch = AlertDispatch.objects.get()
    assert dispatch.outcome == "failed" and "refused" in dispatch.error.lower()
    page = verified_client(officer).get("/overvaking/varsler/").content.decode()
    assert "Feilet" in page and dispatch.error in page


def test_the_form_keeps_her_choices_when_it_is_refused(loaded, officer):
    client = verified_client(officer)
    answer = client.post(
        "/overvaking/varsler/",
        {"action": "subscribe", "indicator": loaded.pk, "threshold": "high"},
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Feltet er påkrevet" in page
    assert 'value="high" selected' in page
    created = client.post(
        "/overvaking/varsler/",
        {"action": "subscribe", "indicator": loaded.pk, "threshold": "high", "area_codes": [BODO]},
    )
    assert created.status_code == 302
    subscription = officer.surveillance_alerts.get()
    client.post("/overvaking/varsler/", {"action": "end", "pk": subscription.pk})
    subscription.refresh_from_db()
    assert not subscription.active
