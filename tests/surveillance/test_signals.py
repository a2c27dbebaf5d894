"""Observations open signals that the municipality's medical officer and FHI can assess and
link to a crisis, which then shows them on its situational picture; nobody else sees them."""

from __future__ import annotations

import pytest

from beredskap.surveillance.models import DetectionResult, Signal, SignalStatus
from tests.factories import verified_client

from .conftest import seasonal_counts

pytestmark = pytest.mark.django_db

BODO, OSLO = "1804", "0301"


def outbreak(n: int = 110) -> list[int]:
    counts = list(seasonal_counts(n))
    counts[-2:] = [90, 120]
    return counts


@pytest.fixture
def signal(fhi_user, indicator, load_counts):  # type: ignore[no-untyped-def]
    load_counts(fhi_user, indicator, {BODO: outbreak(), OSLO: list(seasonal_counts(110, seed=3))})
    return Signal.objects.get(series__area_code=BODO)


def test_an_outbreak_opens_one_signal_for_that_municipality_only(signal):
    assert signal.status == SignalStatus.NEW
    assert signal.peak_observed == 120
    assert signal.owner_org.name == "Bodø kommune"
    assert not Signal.objects.filter(
        series__area_code=OSLO, last_period=signal.last_period
    ).exists()
    assert signal.events.filter(kind="opened").count() == 1


def test_the_medical_officer_and_fhi_see_the_signal_and_another_municipality_does_not(
    signal, bodo_user, fhi_user, oslo_user, uncleared
):
    url = f"/overvaking/signaler/{signal.pk}/"
    assert "Bodø" in verified_client(bodo_user).get(url).content.decode()
    fhi_page = verified_client(fhi_user).get(url)
    assert fhi_page.status_code == 200 and "Bodø" in fhi_page.content.decode()
    assert "Ta ansvar for signalet" in fhi_page.content.decode()  # FHI may assess it
    assert verified_client(oslo_user).get(url).status_code == 404
    assert verified_client(uncleared).get(url).status_code == 404
    listing = verified_client(oslo_user).get("/overvaking/signaler/").content.decode()
    assert "Bodø" not in listing


def test_the_signal_list_filters_by_county_and_status(signal, fhi_user):
    client = verified_client(fhi_user)
    assert "Bodø" in client.get("/overvaking/signaler/?area=18").content.decode()
    assert "Bodø" not in client.get("/overvaking/signaler/?area=03").content.decode()
    assert "Bodø" not in client.get("/overvaking/signaler/?status=dismissed").content.decode()


def test_dismissing_needs_a_reason_and_keeps_it_in_the_history(signal, bodo_user):
    client = verified_client(bodo_user)
    url = f"/overvaking/signaler/{signal.pk}/vurder/"
    bad = client.post(url, {"status": "dismissed", "reason": "", "version": signal.version})
    assert bad.status_code == 400
    signal.refresh_from_db()
    assert signal.status == SignalStatus.NEW
    client.post(
        url, {"status": "dismissed", "reason": "Kjent skoleutbrudd", "version": signal.version}
    )
    signal.refresh_from_db()
    assert signal.status == SignalStatus.DISMISSED
    assert signal.dismissed_reason == "Kjent skoleutbrudd"
    assert signal.owner == bodo_user
    page = client.get(f"/overvaking/signaler/{signal.pk}/").content.decode()
    assert "Kjent skoleutbrudd" in page


def test_another_municipality_cannot_assess_even_when_it_knows_the_address(signal, oslo_user):
    url = f"/overvaking/signaler/{signal.pk}/vurder/"
    response = verified_client(oslo_user).post(
        url, {"status": "dismissed", "reason": "x", "version": signal.version}
    )
    assert response.status_code == 404
    signal.refresh_from_db()
    assert signal.status == SignalStatus.NEW


def test_a_confirmed_signal_linked_to_a_crisis_shows_in_its_picture(
    signal, fhi_user, coordinator_crisis
):
    coordinator, crisis = coordinator_crisis
    picture = f"/krise/{crisis.pk}/bilde/"
    assert "Bodø" not in verified_client(coordinator).get(picture).content.decode()
    client = verified_client(fhi_user)
    client.post(f"/overvaking/signaler/{signal.pk}/ta/", {"version": signal.version})
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ASSESSING
    client.post(
        f"/overvaking/signaler/{signal.pk}/vurder/",
        {
            "status": "confirmed",
            "reason": "Bekreftet utbrudd",
            "crisis": crisis.pk,
            "version": signal.version,
        },
    )
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CONFIRMED and signal.crisis == crisis
    page = verified_client(coordinator).get(picture).content.decode()
    assert "Bekreftede overvåkingssignaler" in page
    assert "Bodø" in page


def test_a_stale_assessment_is_refused(signal, bodo_user):
    client = verified_client(bodo_user)
    url = f"/overvaking/signaler/{signal.pk}/vurder/"
    client.post(url, {"status": "assessing", "reason": "Ser på det", "version": signal.version})
    stale = client.post(url, {"status": "dismissed", "reason": "x", "version": signal.version})
    assert stale.status_code == 400
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ASSESSING


def test_a_series_with_too_little_history_says_so_and_never_normal(
    fhi_user, indicator, load_counts
):
    load_counts(fhi_user, indicator, {OSLO: list(seasonal_counts(20))})
    rows = DetectionResult.objects.filter(series__area_code=OSLO)
    assert rows.count() == 20 and set(rows.values_list("status", flat=True)) == {"too_little"}
    series = rows.first().series
    page = verified_client(fhi_user).get(f"/overvaking/serier/{series.pk}/").content.decode()
    assert "for lite data" in page
    assert ">normal<" not in page
    overview = verified_client(fhi_user).get("/overvaking/").content.decode()
    assert "For lite data: 1" in overview


def test_an_all_zero_series_says_the_model_failed(fhi_user, indicator, load_counts):
    indicator.years_back = 5  # the Noufaily baseline of ~236 zeros does not converge (as in R)
    indicator.save()
    load_counts(fhi_user, indicator, {OSLO: [0] * 270})
    last = DetectionResult.objects.filter(series__area_code=OSLO).order_by("-period").first()
    assert last.status == "failed"
    page = verified_client(fhi_user).get(f"/overvaking/serier/{last.series_id}/").content.decode()
    assert "modellen feilet" in page
