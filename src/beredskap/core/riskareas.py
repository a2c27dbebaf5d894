"""The priority risk areas of the health-preparedness model.

Meld. St. 5 (2023–2024) chapter 4 names six priority risk areas, each with a committee
(2.2.1); climate-related events and a general area complete the list for registers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskArea(models.TextChoices):
    CIVIL_MILITARY = "civil_military", _("Sammensatte trusler, sikkerhetspolitisk krise og krig")
    DIGITAL_SECURITY = "digital_security", _("Digital sikkerhet")
    SUPPLY_SECURITY = "supply_security", _("Forsyningssikkerhet for legemidler og medisinsk utstyr")
    INFECTION = "infection", _("Pandemier og alvorlige smittsomme sykdommer")
    WATER = "water", _("Trygg vannforsyning")
    NUCLEAR = "nuclear", _("Atomhendelser")
    CLIMATE = "climate", _("Klimarelaterte hendelser")
    GENERAL = "general", _("Generelt")
