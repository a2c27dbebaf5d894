"""Input and output schemas of the capacity API (separate In/Out, so a
read-only field is never accepted on input)."""

from datetime import date

from ninja import Field, Schema
from pydantic import AwareDatetime

from beredskap.capacity.models import (
    BedCategory,
    BloodComponent,
    BloodGroup,
    MovementKind,
    Profession,
)
from beredskap.core.apischemas import ErrorOut as ErrorOut


class FacilityOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    organisation_id: int
    health_region: str | None = None


class BedCountIn(Schema):
    category: BedCategory
    physical: int | None = Field(None, ge=0, le=100000, description="Fysiske senger (valgfritt)")
    staffed: int = Field(ge=0, le=100000)
    occupied: int = Field(ge=0, le=100000)
    available: int = Field(ge=0, le=100000)
    surge_24h: int = Field(0, ge=0, le=100000)
    surge_72h: int = Field(0, ge=0, le=100000)


class BedReportIn(Schema):
    facility: str = Field(description="Enhetens kode")
    reported_at: AwareDatetime
    counts: list[BedCountIn] = Field(min_length=1, max_length=20)
    surge_active: bool = False
    ventilators_total: int = Field(0, ge=0)
    ventilators_in_use: int = Field(0, ge=0)
    ecmo_total: int = Field(0, ge=0)
    ecmo_in_use: int = Field(0, ge=0)
    comment: str = Field("", max_length=500)


class BedCountOut(Schema):
    category: str
    physical: int | None = None
    staffed: int
    occupied: int
    available: int
    surge_24h: int
    surge_72h: int


class BedReportOut(Schema):
    id: int
    facility: str
    reported_at: AwareDatetime
    source: str
    surge_active: bool
    ventilators_total: int
    ventilators_in_use: int
    ecmo_total: int
    ecmo_in_use: int
    counts: list[BedCountOut]


class BedLineOut(Schema):
    category: str
    label: str
    staffed: int
    occupied: int
    available: int
    surge_24h: int
    surge_72h: int
    oldest_report_at: AwareDatetime | None
    stale: bool
    physical: int | None = None
    carried: int = 0


class MovementIn(Schema):
    location_id: int
    product_id: int
    kind: MovementKind
    quantity: int = Field(gt=0, le=10**9)
    lot: str = Field(min_length=1, max_length=60)
    expires_on: date | None = None
    target_location_id: int | None = None
    reference: str = Field("", max_length=200)


class MovementOut(Schema):
    id: int
    location_id: int
    product_id: int
    kind: str
    quantity: int
    lot: str
    expires_on: date | None
    at: AwareDatetime


class CoverageOut(Schema):
    product_id: int
    product_name: str
    category: str
    balance: int
    monthly: int
    months: float | None
    required: float | None
    below_requirement: bool
    scenario_months: float | None


class BloodCountIn(Schema):
    component: BloodComponent
    group: BloodGroup
    units: int = Field(ge=0)
    daily_use: float = Field(ge=0)


class BloodInventoryIn(Schema):
    owner_org_id: int
    blood_bank: str = Field(min_length=2, max_length=200)
    reported_at: AwareDatetime
    counts: list[BloodCountIn] = Field(min_length=1, max_length=24)


class PersonnelCountIn(Schema):
    profession: Profession
    count: int = Field(ge=0)
    absent: int = Field(0, ge=0)


class PersonnelReportIn(Schema):
    owner_org_id: int
    reported_at: AwareDatetime
    counts: list[PersonnelCountIn] = Field(min_length=1, max_length=20)


class ReserveLineOut(Schema):
    profession: str
    label: str
    available: int
    health_region: str


class VolunteerIn(Schema):
    consent: bool
    profession: Profession
    hpr_number: str = Field("", pattern=r"^(\d{7,9})?$")
    specialities: str = Field("", max_length=300)
    health_region: str = Field(pattern=r"^H\d\d$")
    willing_to_travel: bool = False
    availability: str = Field("available", pattern="^(available|limited|unavailable)$")
    available_from: date | None = None
    available_until: date | None = None
    contact_preference: str = Field("sms", pattern="^(sms|email|phone)$")
    phone: str = Field("", max_length=20)


class VolunteerOut(Schema):
    id: int
    profession: str
    hpr_number: str
    specialities: str
    health_region: str
    willing_to_travel: bool
    availability: str
    available_from: date | None
    available_until: date | None
    contact_preference: str
    phone: str
    confirmed_at: AwareDatetime


class WaterIn(Schema):
    version: int | None = None
    population_share_pct: int = Field(ge=0, le=100)
    days: int = Field(ge=0, le=365)
    capacity_litres_per_day: int = Field(ge=0)
    by_tankers: bool = False
    by_bottled: bool = False
    by_reserve_source: bool = False
    hospitals_total: int = Field(0, ge=0)
    hospitals_covered: int = Field(0, ge=0)
    nursing_homes_total: int = Field(0, ge=0)
    nursing_homes_covered: int = Field(0, ge=0)
    reviewed_on: date
    notes: str = Field("", max_length=500)


class WaterOut(Schema):
    municipality: str
    name: str
    population_share_pct: int
    days: int
    capacity_litres_per_day: int
    need_litres_per_day: int
    coverage_ratio: float
    reviewed_on: date
    version: int
