"""Fixtures for operations: a coordinator in HOD, reporters in Nordland, a crisis and an
exercise."""

from __future__ import annotations

import pytest

from tests.factories import make_user


@pytest.fixture
def coordinator(db, org):  # type: ignore[no-untyped-def]
    return make_user("koordinator", org("HOD"), role="secretariat", clearance=1)


@pytest.fixture
def make_crisis(coordinator, org):  # type: ignore[no-untyped-def]
    from beredskap.core.models import County
    from beredskap.operations.services.crises import declare_crisis

    def build(name: str = ("Pandemisk influensa"), exercise: bool = False, **extra):  # type: ignore[no-untyped-def]
        extra.setdefault("counties", [County.objects.get(number="18")])
        return declare_crisis(
            by=coordinator,
            name=name,
            risk_area="infection",
            crisis_type="Pandemi",
            owner_org=org("HOD"),
            lead_ministry=org("HOD"),
            is_exercise=exercise,
            **extra,
        )

    return build


@pytest.fixture
def crisis(make_crisis):  # type: ignore[no-untyped-def]
    return make_crisis()


@pytest.fixture
def bodo(org):  # type: ignore[no-untyped-def]
    return org("Bodø kommune")


@pytest.fixture
def bodo_reporter(bodo):  # type: ignore[no-untyped-def]
    return make_user("bodo", bodo, role="reporter", clearance=1)


@pytest.fixture
def smtp_server(settings):  # type: ignore[no-untyped-def]
    """A real local SMTP server (aiosmtpd); Django's SMTP backend talks to it."""
    from tests.fakeservers import smtp_server as server

    with server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        yield inbox


@pytest.fixture
def sms_gateway(settings):  # type: ignore[no-untyped-def]
    """A local HTTP SMS gateway (http.server in a thread) the SMS channel posts to."""
    from tests.fakeservers import sms_gateway as gateway

    with gateway() as fake:
        settings.BEREDSKAP_SMS_URL = fake.url
        settings.BEREDSKAP_SMS_TOKEN = "hemmelig-token"
        settings.BEREDSKAP_SMS_SENDER = "Beredskap"
        yield fake


@pytest.fixture
def contact_point():  # type: ignore[no-untyped-def]
    """Register a contact point of an organisation (test set-up, at a given escalation order)."""
    from beredskap.actors.models import ContactPoint

    def add(org, kind, value, order=1, label=""):  # type: ignore[no-untyped-def]
        return ContactPoint.objects.create(
            organisation=org, kind=kind, value=value, order=order, label=label
        )

    return add


@pytest.fixture
def market(crisis, coordinator, org):  # type: ignore[no-untyped-def]
    """Two nurse requests in Nordland (priority 5 and 1) and two offers (one near, one unwilling to
    travel)."""
    from datetime import timedelta

    from django.utils import timezone

    from beredskap.core.models import Municipality
    from beredskap.operations.services import resources

    bodo, narvik, oslo = (Municipality.objects.get(number=n) for n in ("1804", "1806", "0301"))
    soon = timezone.now() + timedelta(days=1)
    high = resources.create_request(
        by=coordinator,
        crisis=crisis,
        requested_by=org("Bodø kommune"),
        kind="personnel",
        item="Sykepleier",
        quantity=5,
        location=bodo,
        priority=5,
        deadline=soon,
    )
    low = resources.create_request(
        by=coordinator,
        crisis=crisis,
        requested_by=org("Narvik kommune"),
        kind="personnel",
        item="sykepleier",
        quantity=5,
        location=narvik,
        priority=1,
        deadline=soon,
    )
    near = resources.create_offer(
        by=coordinator,
        crisis=crisis,
        organisation=org("Nordlandssykehuset HF"),
        kind="personnel",
        item="sykepleier",
        quantity=5,
        location=narvik,
    )
    far = resources.create_offer(
        by=coordinator,
        crisis=crisis,
        organisation=org("Oslo kommune"),
        kind="personnel",
        item="sykepleier",
        quantity=5,
        location=oslo,
        max_distance_km=100,
    )
    return high, low, near, far
