"""Models of the capacity app, split by concept."""

from beredskap.capacity.models.beds import (
    BedCategory,
    BedCount,
    BedReport,
    Facility,
    FacilityKind,
    ReportSource,
)
from beredskap.capacity.models.blood import (
    BloodComponent,
    BloodCount,
    BloodGroup,
    BloodInventoryReport,
    EmergencyDonorCount,
)
from beredskap.capacity.models.personnel import (
    PersonnelCount,
    PersonnelReport,
    Profession,
    ReserveVolunteer,
)
from beredskap.capacity.models.stock import (
    ConsumptionRate,
    MovementKind,
    Product,
    ProductCategory,
    ProductKind,
    ScenarioDemand,
    StockLocation,
    StockLocationKind,
    StockMovement,
)
from beredskap.capacity.models.water import WaterSupply

__all__ = [
    "BedCategory",
    "BedCount",
    "BedReport",
    "BloodComponent",
    "BloodCount",
    "BloodGroup",
    "BloodInventoryReport",
    "ConsumptionRate",
    "EmergencyDonorCount",
    "Facility",
    "FacilityKind",
    "MovementKind",
    "PersonnelCount",
    "PersonnelReport",
    "Product",
    "ProductCategory",
    "ProductKind",
    "ScenarioDemand",
    "Profession",
    "ReportSource",
    "ReserveVolunteer",
    "StockLocation",
    "StockLocationKind",
    "StockMovement",
    "WaterSupply",
]
