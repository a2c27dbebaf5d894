"""Norwegian 403/404/500 pages with the navigation; JSON errors under /api/."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from beredskap.core import errorviews
from tests.factories import make_user, verified_client


@pytest.mark.django_db
def test_an_unknown_address_gives_the_norwegian_404_page_with_the_navigation(org) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(make_user("leser", org("HOD"), role="reader"))
    response = client.get("/finnes-ikke/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Vi fant ikke siden" in body
    assert "Hva kan du gjøre?" in body
    assert 'aria-label="Hovedmeny"' in body  # the site's navigation, not Django's bare page
    assert "Not Found" not in body and "The requested resource" not in body


@pytest.mark.django_db
def test_a_refused_page_gives_the_norwegian_403_page_with_its_reason(org) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(make_user("leser", org("HOD"), role="reader"))
    response = client.get("/revisjon/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Du har ikke tilgang til denne siden" in body
    assert "Revisjonssporet er bare tilgjengelig for revisorer." in body
    assert "administratoren i organisasjonen din" in body
    assert "403 Forbidden" not in body


@pytest.mark.django_db
def test_an_unknown_api_address_keeps_a_json_error() -> None:
    response = Client().get("/api/v1/finnes-ikke/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_the_500_page_is_norwegian_and_renders_without_the_database(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def no_database(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the 500 page must not touch the database")

    monkeypatch.setattr(connection, "cursor", no_database)
    response = errorviews.server_error(RequestFactory().get("/risiko/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Noe gikk galt hos oss" in body
    assert "Feilen er logget" in body
    assert 'href="/risiko/' in body  # navigation links present
    assert "Server Error" not in body


def test_the_500_answer_under_the_api_is_json() -> None:
    response = errorviews.server_error(RequestFactory().get("/api/v1/risk/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_a_view_that_crashes_gives_the_norwegian_500_page(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROOT_URLCONF = "tests.core.crash_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/krasj/")
    assert response.status_code == 500
    assert "Noe gikk galt hos oss" in response.content.decode()
