"""Stock ledger and coverage, blood, personnel and emergency water."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from beredskap.capacity import summary
from beredskap.capacity.models import Product, StockMovement
from beredskap.capacity.services import blood, personnel, stock, water
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import Municipality
from tests.factories import make_user

FUTURE = date.today() + timedelta(days=400)


@pytest.fixture
def depot(org, admin_user):
    nlsh = org("Nordlandssykehuset HF")
    reporter = make_user("lager", nlsh, role="reporter")
    location = stock.create_location(
        by=reporter, name="NLSH sentrallager", kind="institution", owner_org=nlsh
    )
    masks = stock.create_product(
        by=admin_user, name="FFP2-maske", kind="ppe", category="respirator"
    )
    return reporter, location, masks


def test_an_unknown_or_malformed_atc_code_is_refused(admin_user):
    with pytest.raises(ValidationError, match="Ukjent ATC-kode"):
        stock.create_product(
            by=admin_user, name="X", kind="medicine", atc_code="J01ZZ99", strength="1 g", form="tab"
        )
    with pytest.raises(ValidationError, match="feil format"):
        stock.create_product(
            by=admin_user, name="X", kind="medicine", atc_code="amoxi", strength="1 g", form="tab"
        )
    ok = stock.create_product(
        by=admin_user,
        name="Amoksicillin",
        kind="medicine",
        atc_code="j01ca04",
        strength="500 mg",
        form="kapsel",
    )
    assert ok.atc_code == "J01CA04"


def test_a_receipt_with_expiry_in_the_past_is_refused_and_nothing_is_written(depot):
    reporter, location, masks = depot
    with pytest.raises(ValidationError, match="Utløpsdatoen er passert"):
        stock.receive(
            by=reporter,
            location=location,
            product=masks,
            quantity=10,
            lot="A",
            expires_on=date.today() - timedelta(days=1),
        )
    assert not StockMovement.objects.exists()


def test_the_ledger_is_append_only(depot):
    reporter, location, masks = depot
    movement = stock.receive(
        by=reporter, location=location, product=masks, quantity=10, lot="A", expires_on=FUTURE
    )
    with pytest.raises(PermissionError):
        movement.save()
    with pytest.raises(PermissionError):
        StockMovement.objects.all().delete()
    with pytest.raises(PermissionError):
        StockMovement.objects.update(quantity=1)


def test_an_issue_beyond_the_lot_is_refused_and_an_outsider_cannot_move_stock(depot, org):
    reporter, location, masks = depot
    stock.receive(
        by=reporter, location=location, product=masks, quantity=10, lot="A", expires_on=FUTURE
    )
    with pytest.raises(ValidationError, match="bare 10"):
        stock.issue(by=reporter, location=location, product=masks, quantity=11, lot="A")
    with pytest.raises(PermissionDenied):
        stock.issue(
            by=make_user("ous", org("Oslo universitetssykehus HF"), role="reporter"),
            location=location,
            product=masks,
            quantity=1,
            lot="A",
        )


def test_coverage_against_six_months_and_a_scenario(depot, admin_user, org):
    reporter, location, masks = depot
    stock.receive(
        by=reporter, location=location, product=masks, quantity=5000, lot="A", expires_on=FUTURE
    )
    stock.set_consumption(by=reporter, location=location, product=masks, monthly_quantity=1000)
    stock.set_scenario_demand(
        by=admin_user, scenario_title="Pandemi", product=masks, monthly_quantity=5000
    )
    (line,) = summary.stock_coverage(reporter, health_region="H05")
    assert line.months_of_coverage == 5.0 and line.below_requirement is True
    from beredskap.capacity.queries.stock import coverage

    assert coverage(reporter, location=location, scenario="Pandemi")[0].scenario_months == 1.0
    stock.receive(
        by=reporter, location=location, product=masks, quantity=1000, lot="B", expires_on=FUTURE
    )
    assert summary.stock_coverage(reporter, health_region="H05")[0].below_requirement is False
    assert summary.stock_coverage(reporter, health_region="H12") == []


class LedgerProperty(TestCase):
    """Balance is always the sum of movements, and never negative, whatever the sequence."""

    @settings(max_examples=25, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["receive", "issue", "transfer", "adjust"]), st.integers(1, 50)
            ),
            min_size=1,
            max_size=12,
        )
    )
    def test_balance_equals_the_sum_of_movements(self, steps):
        from beredskap.actors.models import Organisation
        from beredskap.capacity.queries.stock import holdings

        org = Organisation.objects.get(name="Nordlandssykehuset HF")
        user = make_user(f"u{abs(hash(tuple(steps)))}", org, role="reporter")
        hod = Organisation.objects.get(short_name="HOD")  # the product register is national
        admin = make_user(f"a{abs(hash(tuple(steps)))}", hod, role="administrator")
        a = stock.create_location(by=user, name="A", kind="institution", owner_org=org)
        b = stock.create_location(by=user, name="B", kind="institution", owner_org=org)
        product = Product.objects.first() or stock.create_product(
            by=admin, name="Hansker", kind="ppe", category="gloves"
        )
        expected = {a.pk: 0, b.pk: 0}
        for action, n in steps:
            try:
                if action == "receive":
                    stock.receive(
                        by=user, location=a, product=product, quantity=n, lot="L", expires_on=FUTURE
                    )
                    expected[a.pk] += n
                elif action == "issue":
                    stock.issue(by=user, location=a, product=product, quantity=n, lot="L")
                    expected[a.pk] -= n
                elif action == "transfer":
                    stock.transfer(
                        by=user, source=a, target=b, product=product, quantity=n, lot="L"
                    )
                    expected[a.pk] -= n
                    expected[b.pk] += n
                else:
                    stock.adjust(by=user, location=b, product=product, lot="L", counted=n)
                    expected[b.pk] = n
            except ValidationError:
                pass
            assert min(expected.values()) >= 0
        for location in (a, b):
            ledger = sum(
                StockMovement.objects.filter(location=location).values_list("quantity", flat=True)
            )
            held = sum(r["balance"] for r in holdings(user, location=location))
            assert ledger == expected[location.pk] == held


def test_blood_days_of_supply_and_donor_counts_are_numbers_only(org):
    nlsh = org("Nordlandssykehuset HF")
    reporter = make_user("blod", nlsh, role="reporter")
    blood.submit_blood_inventory(
        by=reporter,
        owner_org=nlsh,
        blood_bank="Blodbanken i Bodø",
        reported_at=timezone.now(),
        counts=[{"component": "red_cells", "group": "O-", "units": 20, "daily_use": 10}],
    )
    blood.submit_donor_count(by=reporter, owner_org=nlsh, reported_at=timezone.now(), donors=140)
    from beredskap.capacity.queries.blood import donor_counts, supply_by_component

    (row,) = supply_by_component(reporter, health_region="H05")
    assert row["days"] == 2.0 and row["low"] is True
    assert donor_counts(reporter)[0]["donors"] == 140
    with pytest.raises(ValidationError):
        blood.submit_blood_inventory(
            by=reporter,
            owner_org=nlsh,
            blood_bank="X",
            reported_at=timezone.now(),
            counts=[{"component": "red_cells", "group": "Q+", "units": 1, "daily_use": 1}],
        )


def test_personnel_counts_refuse_absence_above_count(org):
    nlsh = org("Nordlandssykehuset HF")
    reporter = make_user("hr", nlsh, role="reporter")
    with pytest.raises(ValidationError, match="fravær"):
        personnel.submit_personnel_report(
            by=reporter,
            owner_org=nlsh,
            reported_at=timezone.now(),
            counts=[{"profession": "icu_nurse", "count": 3, "absent": 4}],
        )
    personnel.submit_personnel_report(
        by=reporter,
        owner_org=nlsh,
        reported_at=timezone.now(),
        counts=[{"profession": "icu_nurse", "count": 40, "absent": 4}],
    )
    from beredskap.capacity.queries.personnel import latest_personnel

    assert latest_personnel(reporter, health_region="H05")[0]["absence_rate"] == 0.1


def test_registrations_not_reconfirmed_within_12_months_are_removed(org):
    from beredskap.capacity.models import ReserveVolunteer
    from beredskap.core.models import HealthRegion

    old = timezone.now() - timedelta(days=400)
    for name, confirmed in (("gammel", old), ("fersk", timezone.now())):
        ReserveVolunteer.objects.create(
            user=make_user(name),
            profession="nurse",
            consent_given_at=old,
            confirmed_at=confirmed,
            health_region=HealthRegion.objects.get(code="H05"),
        )
    assert personnel.purge_expired() == 1
    assert list(ReserveVolunteer.objects.values_list("user__username", flat=True)) == ["fersk"]


def test_the_municipality_records_emergency_water_and_others_cannot(org):
    bodo = Municipality.objects.get(number="1804")
    reporter = make_user("kommune", org("Bodø kommune"), role="reporter")
    fields = {
        "population_share_pct": 60,
        "days": 3,
        "capacity_litres_per_day": 200_000,
        "by_tankers": True,
        "hospitals_total": 1,
        "hospitals_covered": 1,
        "nursing_homes_total": 8,
        "nursing_homes_covered": 6,
        "reviewed_on": date.today(),
    }
    record = water.save_water_supply(by=reporter, municipality=bodo, **fields)
    assert record.need_litres_per_day == bodo.population * 3 and 0 < record.coverage_ratio < 2
    with pytest.raises(PermissionDenied):
        water.save_water_supply(
            by=make_user("x", org("Oslo kommune"), role="reporter"), municipality=bodo, **fields
        )
    with pytest.raises(ValidationError, match="sykehjem"):
        water.save_water_supply(
            by=reporter,
            municipality=bodo,
            expected_version=record.version,
            **fields | {"nursing_homes_covered": 9},
        )
