"""Emergency water (nødvann) per municipality — the national overview the white paper
(4.5) says is missing: share of the population and which health institutions can be
supplied, for how many days, by what means, and when it was last reviewed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel

# Planning assumption: 3 litres per person per day is the minimum for drinking and food
# (the usual planning norm for emergency water); health institutions need more, and
# their need is recorded separately as covered/total institutions.
LITRES_PER_PERSON_DAY = 3
REVIEW_INTERVAL_DAYS = 365


class WaterSupply(ProtectedModel):
    """A municipality's emergency-water capacity, one current record per municipality."""

    municipality = models.OneToOneField(
        "core.Municipality", on_delete=models.PROTECT, related_name="water_supply"
    )
    population_share_pct = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(100)],
        verbose_name=_("andel av befolkningen som kan forsynes (%)"),
    )
    days = models.PositiveSmallIntegerField(verbose_name=_("antall døgn"))
    capacity_litres_per_day = models.PositiveIntegerField(
        verbose_name=_("kapasitet (liter per døgn)")
    )
    by_tankers = models.BooleanField(default=False, verbose_name=_("tankbiler"))
    by_bottled = models.BooleanField(default=False, verbose_name=_("flaskevann"))
    by_reserve_source = models.BooleanField(default=False, verbose_name=_("reservevannkilde"))
    hospitals_total = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("sykehus i kommunen")
    )
    hospitals_covered = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("sykehus som kan forsynes")
    )
    nursing_homes_total = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("sykehjem i kommunen")
    )
    nursing_homes_covered = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("sykehjem som kan forsynes")
    )
    reviewed_on = models.DateField(verbose_name=_("sist gjennomgått"))
    notes = models.CharField(max_length=500, blank=True, verbose_name=_("merknad"))

    class Meta:
        ordering = ["municipality__number"]
        verbose_name = _("nødvannsforsyning")
        verbose_name_plural = _("nødvannsforsyning")

    def __str__(self) -> str:
        return f"{self.municipality} nødvann"

    def clean(self) -> None:
        super().clean()
        if self.hospitals_covered > self.hospitals_total:
            raise ValidationError(
                {"hospitals_covered": _("Kan ikke forsyne flere sykehus enn det finnes.")}
            )
        if self.nursing_homes_covered > self.nursing_homes_total:
            raise ValidationError(
                {"nursing_homes_covered": _("Kan ikke forsyne flere sykehjem enn det finnes.")}
            )
        if self.population_share_pct and not (
            self.by_tankers or self.by_bottled or self.by_reserve_source
        ):
            raise ValidationError(_("Oppgi minst én forsyningsmåte."))

    @property
    def need_litres_per_day(self) -> int:
        return self.municipality.population * LITRES_PER_PERSON_DAY

    @property
    def coverage_ratio(self) -> float:
        """Capacity as a share of the whole population's minimum need."""
        need = self.need_litres_per_day
        return self.capacity_litres_per_day / need if need else 0.0
