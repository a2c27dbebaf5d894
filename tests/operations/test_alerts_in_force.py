"""Public alerts fit for distribution: the form carries CAP's category, expiry, advice and web
link into a valid message; the public feed lists only alerts in force; nothing follows a
cancel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from lxml import etree

from beredskap.operations import cap
from beredskap.operations.models import PublicAlert
from beredskap.operations.services import alerts
from tests.factories import verified_client
from tests.operations.test_decisions_resources_alerts import _alert

pytestmark = pytest.mark.django_db
NS = {"c": cap.NS}


def _feed_titles() -> str:
    return Client().get("/krise/cap/feed.xml").content.decode()


def test_the_form_carries_category_expiry_advice_and_link_into_a_valid_message(crisis, coordinator):
    expires = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    answer = verified_client(coordinator).post(
        f"/krise/{crisis.pk}/cap/",
        {
            "alert-event": "Legionella i vannverk",
            "alert-category": "Env",
            "alert-urgency": "Immediate",
            "alert-severity": "Moderate",
            "alert-certainty": "Observed",
            "alert-municipality_numbers": "1804",
            "alert-expires": expires,
            "alert-web": "https://bodo.kommune.no/vann",
            "alert-headline_nb": "Kok vannet",
            "alert-description_nb": "Påvist legionella i Bodø vannverk.",
            "alert-instruction_nb": "Kok drikkevann i ett minutt.",
        },
    )
    assert answer.status_code == 302
    alert = PublicAlert.objects.get()
    assert not cap.validation_errors(alert.xml)
    doc = etree.fromstring(alert.xml.encode())
    info = doc.find("c:info", NS)
    assert info.findtext("c:category", namespaces=NS) == "Env"
    assert info.findtext("c:instruction", namespaces=NS) == "Kok drikkevann i ett minutt."
    assert info.findtext("c:web", namespaces=NS) == "https://bodo.kommune.no/vann"
    assert info.findtext("c:expires", namespaces=NS).startswith(expires)


def test_the_form_speaks_bokmal_not_cap_codes(crisis, coordinator):
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/arbeid/").content.decode()
    assert ">Umiddelbart<" in page and ">Alvorlig<" in page and ">Observert<" in page
    assert ">Immediate<" not in page and ">Severe<" not in page


def test_the_public_feed_lists_only_alerts_in_force(crisis, coordinator):
    live = _alert(coordinator, crisis, event="I kraft")
    replaced = _alert(coordinator, crisis, event="Erstattet")
    alerts.update_alert(
        by=coordinator,
        previous=replaced,
        event="Oppdatert",
        urgency="Expected",
        severity="Severe",
        certainty="Likely",
        infos=[{"language": "nb-NO", "headline": "Oppdatert råd", "description": "Ny tekst"}],
        municipalities=list(replaced.municipalities.all()),
    )
    cancelled = _alert(coordinator, crisis, event="Trukket")
    alerts.cancel_alert(by=coordinator, previous=cancelled, note="Feil kommune")
    expired = _alert(
        coordinator, crisis, event="Utløpt", expires=timezone.now() + timedelta(hours=1)
    )
    PublicAlert.objects.filter(pk=expired.pk).update(expires=timezone.now() - timedelta(minutes=1))
    feed = _feed_titles()
    assert live.identifier in feed and "Oppdatert råd" in feed
    assert replaced.identifier not in feed and cancelled.identifier not in feed
    assert expired.identifier not in feed and "Cancel" not in feed


def test_nothing_follows_a_cancel(crisis, coordinator):
    alert = _alert(coordinator, crisis)
    alerts.cancel_alert(by=coordinator, previous=alert, note="Avblåst")
    with pytest.raises(ValidationError, match="trukket tilbake"):
        alerts.update_alert(
            by=coordinator,
            previous=alert,
            event="For sent",
            urgency="Expected",
            severity="Severe",
            certainty="Likely",
            infos=[{"language": "nb-NO", "headline": "x", "description": "y"}],
            municipalities=[],
        )


def test_a_link_that_is_not_a_web_address_is_refused(crisis, coordinator):
    with pytest.raises(ValidationError):
        _alert(coordinator, crisis, web="javascript:alert(1)")
