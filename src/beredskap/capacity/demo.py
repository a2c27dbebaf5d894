"""Demo data for capacity (idempotent): a facility per hospital trust plus Bodø's municipal
emergency beds, a month of daily ICU reports with a winter surge, PPE and medicine stock
(some below six months), blood per region, 2,000 synthetic reserve volunteers and
emergency water for every municipality in Nordland and Troms. All figures are synthetic."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from beredskap.actors.models import Organisation, OrganisationKind
from beredskap.capacity.models import (
    BedCount,
    BedReport,
    BloodCount,
    BloodInventoryReport,
    ConsumptionRate,
    EmergencyDonorCount,
    Facility,
    FacilityKind,
    Product,
    ReserveVolunteer,
    StockLocation,
    StockMovement,
    WaterSupply,
)
from beredskap.capacity.models.stock import ScenarioDemand
from beredskap.core.models import HealthRegion, Municipality, User

DAYS = 30


def load_demo() -> str:
    if Facility.objects.filter(code="nordlandssykehuset-hf").exists():
        return "kapasitet: demodata finnes allerede"
    rng = random.Random(5)
    with transaction.atomic():
        facilities = _facilities()
        reports = _bed_reports(facilities, rng)
        _stock()
        _blood(rng)
        volunteers = _reserve(rng)
        water = _water(rng)
    return (
        f"kapasitet: {len(facilities)} enheter, {reports} sengerapporter, lager, blod, "
        f"{volunteers} reservepersonell, nødvann for {water} kommuner"
    )


def _facilities() -> list[Facility]:
    rows = [
        Facility(
            name=hf.name, code=slugify(hf.name)[:60], kind=FacilityKind.HOSPITAL, organisation=hf
        )
        for hf in Organisation.objects.filter(kind=OrganisationKind.HF)
    ]
    bodo = Organisation.objects.get(name="Bodø kommune")
    rows.append(
        Facility(
            name="Bodø legevakt – kommunale akutte døgnplasser",
            code="bodo-kad",
            kind=FacilityKind.MUNICIPAL_EMERGENCY,
            organisation=bodo,
            municipality=bodo.municipality,
        )
    )
    Facility.objects.bulk_create(rows)
    return list(Facility.objects.all())


def _bed_reports(facilities: list[Facility], rng: random.Random) -> int:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    count = 0
    for facility in facilities:
        size = 4 if facility.kind == FacilityKind.MUNICIPAL_EMERGENCY else rng.randint(8, 40)
        for day in range(DAYS, -1, -1):
            if facility.name.startswith("Finnmarkssykehuset") and day < 2:
                continue  # one stale facility in the demo
            surge = 1.0 + 0.35 * max(0, 10 - abs(day - 8)) / 10  # winter peak ~8 days ago
            report = BedReport.objects.create(
                facility=facility,
                reported_at=now - timedelta(days=day, hours=rng.randint(0, 3)),
                source="api",
                owner_org=facility.organisation,
                ventilators_total=size + 4,
                ventilators_in_use=min(size + 4, int(size * 0.6 * surge)),
                ecmo_total=2 if size > 30 else 0,
            )
            counts = _counts(facility, size, surge, rng)
            report.surge_active = any(c.occupied > c.staffed for c in counts)
            report.save()
            for c in counts:
                c.report = report
            BedCount.objects.bulk_create(counts)
            count += 1
    return count


def _counts(facility: Facility, size: int, surge: float, rng: random.Random) -> list[BedCount]:
    if facility.kind == FacilityKind.MUNICIPAL_EMERGENCY:
        plan = {"ward": (size, 0.7)}
    else:
        plan = {
            "icu_vent": (size, 0.7),
            "icu_novent": (size // 3, 0.6),
            "intermediate": (size // 2, 0.7),
            "isolation": (size // 4 + 1, 0.5),
            "ward": (size * 12, 0.85),
            "ed": (size // 2 + 2, 0.6),
        }
    rows = []
    for category, (staffed, load) in plan.items():
        occupied = min(int(staffed * load * surge + rng.randint(0, 2)), int(staffed * 1.2))
        rows.append(
            BedCount(
                category=category,
                staffed=staffed,
                occupied=occupied,
                available=max(staffed - occupied, 0),
                surge_24h=staffed // 5,
                surge_72h=staffed // 3,
            )
        )
    return rows


def _stock() -> None:
    future = date.today() + timedelta(days=500)
    products = [
        Product.objects.create(
            name="FFP2-åndedrettsvern",
            kind="ppe",
            category="respirator",
            national_monthly_consumption=900_000,
        ),
        Product.objects.create(
            name="Smittefrakk", kind="ppe", category="gowns", national_monthly_consumption=400_000
        ),
        Product.objects.create(
            name="Undersøkelseshansker",
            kind="ppe",
            category="gloves",
            national_monthly_consumption=6_000_000,
        ),
        Product.objects.create(
            name="Amoksicillin",
            kind="medicine",
            atc_code="J01CA04",
            strength="500 mg",
            form="kapsel",
            requirement_months=3,
            national_monthly_consumption=250_000,
        ),
        Product.objects.create(
            name="Propofol",
            kind="medicine",
            atc_code="N01AX10",
            strength="10 mg/ml",
            form="injeksjonsvæske",
            requirement_months=3,
            national_monthly_consumption=60_000,
        ),
    ]
    hse = Organisation.objects.get(name="Helse Sør-Øst RHF")
    national = StockLocation.objects.create(
        name="Nasjonalt beredskapslager (RHF)",
        kind="national",
        owner_org=hse,
        health_region=hse.health_region,
    )
    nlsh = Organisation.objects.get(name="Nordlandssykehuset HF")
    own = StockLocation.objects.create(
        name="Nordlandssykehuset sentrallager",
        kind="institution",
        owner_org=nlsh,
        health_region=nlsh.health_region,
    )
    bodo = Organisation.objects.get(name="Bodø kommune")
    municipal = StockLocation.objects.create(
        name="Bodø kommune – sykehjemslager",
        kind="institution",
        owner_org=bodo,
        health_region=bodo.health_region,
    )
    national_qty = [6_000_000, 1_800_000, 40_000_000, 900_000, 150_000]
    for product, qty in zip(products, national_qty, strict=True):
        _receive(national, product, qty, future)
    for location, factors in ((own, (8, 4, 7)), (municipal, (3, 6, 2))):
        for product, months in zip(products[:3], factors, strict=True):
            monthly = 20_000 if location is own else 2_000
            ConsumptionRate.objects.create(
                location=location, product=product, monthly_quantity=monthly
            )
            _receive(location, product, monthly * months, future)
    _receive(own, products[3], 3_000, date.today() + timedelta(days=40))  # expiring soon
    ConsumptionRate.objects.create(location=own, product=products[3], monthly_quantity=2_000)
    ScenarioDemand.objects.create(
        scenario_title="Pandemisk influensa", product=products[0], monthly_quantity=2_500_000
    )


def _receive(location: StockLocation, product: Product, quantity: int, expires: date) -> None:
    StockMovement.objects.create(
        location=location,
        product=product,
        kind="receipt",
        quantity=quantity,
        lot=f"DEMO-{product.pk}-{location.pk}",
        expires_on=expires,
        at=timezone.now(),
        reference="Demodata",
    )


def _blood(rng: random.Random) -> None:
    for region in HealthRegion.objects.all():
        trust = (
            Organisation.objects.filter(kind=OrganisationKind.HF, health_region=region)
            .order_by("name")
            .first()
        )
        if trust is None:
            continue
        report = BloodInventoryReport.objects.create(
            owner_org=trust,
            blood_bank=f"Blodbanken {trust.name}",
            reported_at=timezone.now() - timedelta(hours=6),
        )
        counts = []
        for component, base, use in (
            ("red_cells", 300, 40),
            ("platelets", 30, 10),
            ("plasma", 500, 25),
        ):
            for group, share in (
                ("O-", 0.07),
                ("O+", 0.34),
                ("A-", 0.06),
                ("A+", 0.4),
                ("B+", 0.08),
                ("AB+", 0.05),
            ):
                factor = 0.5 if region.code == "H05" else 1.0  # vulnerable blood banks in the north
                counts.append(
                    BloodCount(
                        report=report,
                        component=component,
                        group=group,
                        units=int(base * share * factor * rng.uniform(0.7, 1.3)),
                        daily_use=round(use * share, 1) or 0.1,
                    )
                )
        BloodCount.objects.bulk_create(counts)
        EmergencyDonorCount.objects.create(
            owner_org=trust,
            health_region=region,
            reported_at=timezone.now(),
            donors=rng.randint(150, 900),
        )


def _reserve(rng: random.Random, n: int = 2000) -> int:
    professions = (
        ["icu_nurse"] * 3
        + ["nurse"] * 6
        + [
            "anaesthetist",
            "physician",
            "physician",
            "bioengineer",
            "paramedic",
            "health_worker",
            "health_worker",
            "medtech",
        ]
    )
    regions = list(HealthRegion.objects.all())
    users = User.objects.bulk_create(
        [
            User(
                username=f"reserve{i:04d}",
                first_name=f"Reserve{i:04d}",
                last_name="Demo",
                password="!",
            )
            for i in range(n)
        ]
    )
    now = timezone.now()
    ReserveVolunteer.objects.bulk_create(
        [
            ReserveVolunteer(
                user=user,
                profession=rng.choice(professions),
                health_region=rng.choice(regions),
                willing_to_travel=rng.random() < 0.3,
                availability=rng.choices(["available", "limited", "unavailable"], [6, 3, 1])[0],
                specialities=rng.choice(["", "intensiv", "barn", "ECMO", "smittevern"]),
                consent_given_at=now - timedelta(days=rng.randint(1, 300)),
                confirmed_at=now - timedelta(days=rng.randint(0, 300)),
            )
            for user in users
        ]
    )
    return n


def _water(rng: random.Random) -> int:
    records = []
    for municipality in Municipality.objects.filter(county__number__in=["18", "55"]):
        owner = Organisation.objects.filter(municipality=municipality).first()
        share = rng.choice([20, 40, 60, 80, 100])
        records.append(
            WaterSupply(
                municipality=municipality,
                owner_org=owner,
                population_share_pct=share,
                days=rng.randint(1, 7),
                capacity_litres_per_day=int(
                    municipality.population * 3 * share / 100 * rng.uniform(0.6, 1.4)
                ),
                by_tankers=True,
                by_bottled=rng.random() < 0.6,
                by_reserve_source=rng.random() < 0.4,
                hospitals_total=1 if municipality.population > 20_000 else 0,
                hospitals_covered=1 if municipality.population > 20_000 and share >= 60 else 0,
                nursing_homes_total=max(1, municipality.population // 5000),
                nursing_homes_covered=max(1, municipality.population // 5000) if share >= 40 else 0,
                reviewed_on=date.today() - timedelta(days=rng.randint(10, 700)),
            )
        )
    WaterSupply.objects.bulk_create(records)
    return len(records)
