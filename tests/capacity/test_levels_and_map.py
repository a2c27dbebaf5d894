"""The overview per level (nation, region, county, organisation) and the emergency-water map."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from beredskap.capacity.services import personnel, water
from beredskap.core.models import Municipality
from tests.capacity.helpers import make_facility, report
from tests.factories import make_user, verified_client

WATER = {
    "population_share_pct": 60,
    "days": 3,
    "capacity_litres_per_day": 200_000,
    "by_tankers": True,
    "reviewed_on": date.today(),
}


def _setup(org):
    nlsh, ous = org("Nordlandssykehuset HF"), org("Oslo universitetssykehus HF")
    north, south = make_user("nord", nlsh, role="reporter"), make_user("sor", ous, role="reporter")
    report(north, make_facility(nlsh, "NLSH Bodø"), hours_ago=1)
    report(south, make_facility(ous, "Rikshospitalet"), hours_ago=40)
    personnel.submit_personnel_report(
        by=north,
        owner_org=nlsh,
        reported_at=timezone.now(),
        counts=[{"profession": "icu_nurse", "count": 40, "absent": 4}],
    )
    personnel.submit_personnel_report(
        by=south,
        owner_org=ous,
        reported_at=timezone.now(),
        counts=[{"profession": "icu_nurse", "count": 100, "absent": 0}],
    )
    return nlsh, ous


def test_the_organisation_level_shows_only_that_organisation(org):
    nlsh, _ous = _setup(org)
    client = verified_client(make_user("les", org("FHI")))
    page = client.get(f"/kapasitet/?org={nlsh.pk}").content.decode()
    assert "Kapasitetsoversikt – Nordlandssykehuset HF" in page and "Nivå: organisasjon" in page
    assert "1 enhet i utvalget" in page and "Rikshospitalet" not in page
    assert "<td>40</td>" in page and "<td>140</td>" not in page
    nation = client.get("/kapasitet/").content.decode()
    assert "Nivå: nasjonalt" in nation and "Rikshospitalet" in nation and "<td>140</td>" in nation


def test_a_regional_health_authority_includes_its_trusts(org):
    _setup(org)
    page = (
        verified_client(make_user("les", org("FHI")))
        .get(f"/kapasitet/?org={org('Helse Nord RHF').pk}")
        .content.decode()
    )
    assert "1 enhet i utvalget" in page and "<td>40</td>" in page and "Rikshospitalet" not in page


def test_the_county_level_takes_the_trusts_serving_it(org):
    _setup(org)
    client = verified_client(make_user("les", org("FHI")))
    oslo = client.get("/kapasitet/?county=03").content.decode()
    assert "Nivå: fylke" in oslo and "Rikshospitalet" in oslo and "NLSH Bodø" not in oslo


def test_the_map_endpoint_gives_outlines_with_figures_for_the_scope(org):
    bodo = Municipality.objects.get(number="1804")
    water.save_water_supply(
        by=make_user("kommune", org("Bodø kommune"), role="reporter"), municipality=bodo, **WATER
    )
    client = verified_client(make_user("les", org("FHI")))
    data = client.get(f"/kapasitet/nodvann/kart.json?county={bodo.county.number}").json()
    by_number = {f["properties"]["number"]: f["properties"] for f in data["features"]}
    assert by_number["1804"]["share"] == 60 and by_number["1804"]["days"] == 3
    assert by_number["1806"]["share"] is None
    assert all(n.startswith(bodo.county.number) for n in by_number) and len(by_number) > 20
    assert data["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    page = client.get("/kapasitet/nodvann/").content.decode()
    assert 'id="water-map"' in page and "capacity/water_map.js" in page and "<script>" not in page
