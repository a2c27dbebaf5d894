"""The entry forms: stock movements, blood, personnel and emergency water, through the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from beredskap.capacity.models import (
    BloodInventoryReport,
    PersonnelReport,
    StockMovement,
    WaterSupply,
)
from beredskap.capacity.services import stock
from tests.factories import make_user, verified_client

FUTURE = (date.today() + timedelta(days=400)).isoformat()


@pytest.fixture
def depot(org, admin_user):
    nlsh = org("Nordlandssykehuset HF")
    reporter = make_user("lager", nlsh, role="reporter")
    location = stock.create_location(
        by=reporter, name="NLSH sentrallager", kind="institution", owner_org=nlsh
    )
    other = stock.create_location(
        by=reporter, name="NLSH Lofoten lager", kind="institution", owner_org=nlsh
    )
    masks = stock.create_product(
        by=admin_user, name="FFP2-maske", kind="ppe", category="respirator"
    )
    return reporter, location, other, masks


def _now() -> str:
    return (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")


def test_a_reporter_receives_issues_and_transfers_stock_by_form(depot):
    reporter, location, other, masks = depot
    client = verified_client(reporter)
    page = client.get("/kapasitet/lager/bevegelse/").content.decode()
    assert "NLSH sentrallager" in page and "FFP2-maske" in page
    base = {"location": location.pk, "product": masks.pk, "lot": "L1"}
    done = client.post(
        "/kapasitet/lager/bevegelse/",
        base | {"kind": "receipt", "quantity": 100, "expires_on": FUTURE},
        follow=True,
    )
    assert "Mottaket er registrert" in done.content.decode()
    assert (
        client.post(
            "/kapasitet/lager/bevegelse/", base | {"kind": "issue", "quantity": 30}
        ).status_code
        == 302
    )
    moved = client.post(
        "/kapasitet/lager/bevegelse/",
        base | {"kind": "transfer", "quantity": 20, "target": other.pk},
        follow=True,
    )
    assert "Overføringen til NLSH Lofoten lager er registrert" in moved.content.decode()
    assert sorted(StockMovement.objects.values_list("quantity", flat=True)) == [-30, -20, 20, 100]
    too_much = client.post("/kapasitet/lager/bevegelse/", base | {"kind": "issue", "quantity": 51})
    assert too_much.status_code == 400 and "har bare 50 igjen" in too_much.content.decode()
    expired = client.post(
        "/kapasitet/lager/bevegelse/",
        base | {"kind": "receipt", "quantity": 5, "expires_on": "2020-01-01"},
    )
    assert expired.status_code == 400 and "Utløpsdatoen er passert" in expired.content.decode()
    no_target = client.post(
        "/kapasitet/lager/bevegelse/", base | {"kind": "transfer", "quantity": 5}
    )
    assert no_target.status_code == 400 and "Velg lagerstedet" in no_target.content.decode()
    assert StockMovement.objects.count() == 4


def test_an_outsider_is_offered_no_location_and_cannot_post_one(depot, org):
    _reporter, location, _other, masks = depot
    outsider = verified_client(
        make_user("ous", org("Oslo universitetssykehus HF"), role="reporter")
    )
    page = outsider.get("/kapasitet/lager/bevegelse/").content.decode()
    assert "NLSH sentrallager" not in page and "ikke rapportør for noe lagersted" in page
    refused = outsider.post(
        "/kapasitet/lager/bevegelse/",
        {
            "kind": "receipt",
            "location": location.pk,
            "product": masks.pk,
            "lot": "X",
            "quantity": 5,
            "expires_on": FUTURE,
        },
    )
    assert refused.status_code == 400 and not StockMovement.objects.exists()


def test_a_blood_bank_reports_its_inventory_by_form(org):
    nlsh = org("Nordlandssykehuset HF")
    client = verified_client(make_user("blod", nlsh, role="reporter"))
    assert "Erytrocyttkonsentrat" in client.get("/kapasitet/blod/rapport/").content.decode()
    data = {
        "owner_org": nlsh.pk,
        "blood_bank": "Blodbanken i Bodø",
        "reported_at": _now(),
        "red_cells_Oneg__units": 20,
        "red_cells_Oneg__daily": "4.5",
        "plasma_ABpos__units": 8,
        "plasma_ABpos__daily": 1,
    }
    done = client.post("/kapasitet/blod/rapport/", data, follow=True)
    assert "Blodbeholdningen for Blodbanken i Bodø er lagret" in done.content.decode()
    report = BloodInventoryReport.objects.get()
    assert sorted(report.counts.values_list("group", "units")) == [("AB+", 8), ("O-", 20)]
    half = client.post("/kapasitet/blod/rapport/", data | {"plasma_ABpos__daily": ""})
    assert half.status_code == 400 and "både enheter og forbruk" in half.content.decode()
    empty = client.post(
        "/kapasitet/blod/rapport/", {"owner_org": nlsh.pk, "blood_bank": "X", "reported_at": _now()}
    )
    assert empty.status_code == 400 and "minst én beholdning" in empty.content.decode()
    assert BloodInventoryReport.objects.count() == 1


def test_blood_cannot_be_reported_for_an_organisation_the_user_does_not_report_for(org):
    client = verified_client(make_user("blod", org("Nordlandssykehuset HF"), role="reporter"))
    other = org("Oslo universitetssykehus HF")
    response = client.post(
        "/kapasitet/blod/rapport/",
        {
            "owner_org": other.pk,
            "blood_bank": "OUS",
            "reported_at": _now(),
            "red_cells_Oneg__units": 1,
            "red_cells_Oneg__daily": 1,
        },
    )
    assert response.status_code == 400 and not BloodInventoryReport.objects.exists()


def test_personnel_counts_by_form_refuse_absence_above_count(org):
    nlsh = org("Nordlandssykehuset HF")
    client = verified_client(make_user("hr", nlsh, role="reporter"))
    data = {
        "owner_org": nlsh.pk,
        "reported_at": _now(),
        "icu_nurse__count": 40,
        "icu_nurse__absent": 4,
        "bioengineer__count": 12,
    }
    bad = client.post("/kapasitet/personell/rapport/", data | {"icu_nurse__absent": 41})
    assert (
        bad.status_code == 400 and "Fravær kan ikke være større enn antall" in bad.content.decode()
    )
    future = client.post(
        "/kapasitet/personell/rapport/",
        data
        | {"reported_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert future.status_code == 400 and "fram i tid" in future.content.decode()
    assert not PersonnelReport.objects.exists()
    done = client.post("/kapasitet/personell/rapport/", data, follow=True)
    assert "Personellrapporten for Nordlandssykehuset HF er lagret" in done.content.decode()
    assert dict(PersonnelReport.objects.get().counts.values_list("profession", "absent")) == {
        "icu_nurse": 4,
        "bioengineer": 0,
    }


def test_a_municipality_records_and_then_updates_its_emergency_water(org):
    from beredskap.core.models import Municipality

    bodo = Municipality.objects.get(number="1804")
    client = verified_client(make_user("kommune", org("Bodø kommune"), role="reporter"))
    data = {
        "municipality": bodo.pk,
        "population_share_pct": 60,
        "days": 3,
        "capacity_litres_per_day": 200000,
        "by_tankers": "on",
        "hospitals_total": 1,
        "hospitals_covered": 1,
        "nursing_homes_total": 8,
        "nursing_homes_covered": 6,
        "reviewed_on": date.today().isoformat(),
    }
    bad = client.post(
        "/kapasitet/nodvann/registrer/", data | {"nursing_homes_covered": 9, "by_tankers": ""}
    )
    text = bad.content.decode()
    assert bad.status_code == 400 and "flere sykehjem" in text and "minst én forsyningsmåte" in text
    done = client.post("/kapasitet/nodvann/registrer/", data, follow=True)
    assert "Nødvannsforsyningen for Bodø er lagret" in done.content.decode()
    edit = client.get("/kapasitet/nodvann/registrer/?kommune=1804").content.decode()
    assert "Endrer registreringen" in edit and 'value="200000"' in edit
    record = WaterSupply.objects.get()
    client.post(
        "/kapasitet/nodvann/registrer/", data | {"days": 5, "expected_version": record.version}
    )
    assert WaterSupply.objects.get().days == 5
    stale = client.post(
        "/kapasitet/nodvann/registrer/", data | {"days": 7, "expected_version": record.version}
    )
    assert stale.status_code == 400 and "endret posten" in stale.content.decode()
    assert WaterSupply.objects.get().days == 5


def test_an_other_municipality_is_not_offered_the_water_form(org):
    page = (
        verified_client(make_user("oslo", org("Oslo kommune"), role="reporter"))
        .get("/kapasitet/nodvann/registrer/")
        .content.decode()
    )
    assert "Oslo" in page and "Bodø" not in page


def test_the_capacity_pages_link_the_forms_only_for_reporters(org):
    reporter = verified_client(make_user("hr", org("Nordlandssykehuset HF"), role="reporter"))
    reader = verified_client(make_user("les", org("FHI")))
    for url, link in (
        ("/kapasitet/", "/kapasitet/blod/rapport/"),
        ("/kapasitet/", "/kapasitet/personell/rapport/"),
        ("/kapasitet/lager/", "/kapasitet/lager/bevegelse/"),
        ("/kapasitet/nodvann/", "/kapasitet/nodvann/registrer/"),
    ):
        assert link in reporter.get(url).content.decode()
        assert link not in reader.get(url).content.decode()
