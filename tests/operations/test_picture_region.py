"""The picture opens on the user's own health region: a statsforvalter adviser sees the ICU figures
of her region, the Ministry sees the country, and either can switch (Meld. St. 5 (2023–2024) 2.3).
"""

from datetime import time

import pytest
from django.utils import timezone

from beredskap.operations import regions
from beredskap.operations.services import sitreps
from tests.capacity.helpers import icu_counts, make_facility, report
from tests.factories import make_user, verified_client


@pytest.fixture
def two_regions(org):  # type: ignore[no-untyped-def]
    north, south = org("Nordlandssykehuset HF"), org("Oslo universitetssykehus HF")
    report(
        make_user("nlsh", north, role="reporter", clearance=1),
        make_facility(north),
        counts=icu_counts(staffed=12, occupied=7, available=5),
    )
    report(
        make_user("ous", south, role="reporter", clearance=1),
        make_facility(south),
        counts=icu_counts(staffed=40, occupied=31, available=9),
    )


def _icu_line(client, crisis, query: str = "") -> str:  # type: ignore[no-untyped-def]
    page = client.get(f"/krise/{crisis.pk}/bilde/{query}").content.decode()
    return " ".join(page.split('id="icu">')[1].split("</li>")[0].split())


def test_home_region_follows_the_organisation(org):
    assert regions.home_region(make_user("sf", org("Statsforvalteren i Nordland"))) == "H05"
    assert regions.home_region(make_user("kom", org("Bodø kommune"))) == "H05"
    assert regions.home_region(make_user("hf", org("Oslo universitetssykehus HF"))) == "H12"
    assert regions.home_region(make_user("hod", org("HOD"))) is None


def test_the_statsforvalter_sees_her_regions_icu_and_can_switch_to_the_country(
    crisis, coordinator, org, two_regions
):
    sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Daglig",
        due_time=time(12, 0),
        starts_on=timezone.localdate(),
        org_kinds=["municipality", "statsforvalter"],
    )
    adviser = verified_client(make_user("sfno", org("Statsforvalteren i Nordland"), clearance=1))
    line = _icu_line(adviser, crisis)
    assert "Helse Nord" in line and "7 av 12" in line and "38 av 52" not in line
    national = _icu_line(adviser, crisis, f"?region={regions.NATIONAL}")
    assert "hele landet" in national and "38 av 52" in national
    assert "31 av 40" in _icu_line(adviser, crisis, "?region=H12")


def test_the_ministry_starts_from_the_country_and_an_unknown_region_falls_back(
    crisis, coordinator, two_regions
):
    client = verified_client(coordinator)
    assert "38 av 52" in _icu_line(client, crisis)
    assert "38 av 52" in _icu_line(client, crisis, "?region=H99")


def test_the_refreshing_fragment_keeps_the_chosen_region(crisis, coordinator, two_regions):
    client = verified_client(coordinator)
    page = client.get(f"/krise/{crisis.pk}/bilde/?region=H05").content.decode()
    assert "bilde/innhold/?region=H05" in page
    fragment = client.get(f"/krise/{crisis.pk}/bilde/innhold/?region=H05").content.decode()
    assert "7 av 12" in " ".join(fragment.split())
