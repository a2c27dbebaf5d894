"""Surveillance: indicators, series per area, observations with their history, detection results
and signals with an assessment workflow.

Knowledge preparedness (kunnskapsberedskap, Meld. St. 5 (2023–2024) section 5.4): better data,
surveillance and analysis so a threat is seen early. Counts in small municipalities can identify
persons (personopplysningsloven / GDPR art. 9 health data), so series and signals are BEGRENSET
by default and read only through need-to-know.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel, TrackedModel
from beredskap.core.classification import Classification


class AreaLevel(models.TextChoices):
    MUNICIPALITY = "municipality", _("Kommune")
    COUNTY = "county", _("Fylke")
    HEALTH_REGION = "health_region", _("Helseregion")
    NATION = "nation", _("Landet")


class Frequency(models.TextChoices):
    WEEK = "week", _("Uke")
    DAY = "day", _("Dag")


class Method(models.TextChoices):
    FARRINGTON_FLEXIBLE = "farrington-flexible", _("Farrington (Noufaily-innstillinger)")
    FARRINGTON = "farrington", _("Farrington (1996)")
    EARS_C1 = "ears-c1", _("EARS C1")
    EARS_C2 = "ears-c2", _("EARS C2")
    EARS_C3 = "ears-c3", _("EARS C3")
    SYKDOMSPULSEN = "sykdomspulsen", _("Sykdomspulsen (kvasi-Poisson, FHI)")


class Dispersion(models.TextChoices):
    R_COMPAT = "r_compat", _("Som R (surveillance 1.20.3)")
    CORRECTED = "corrected", _("Korrigert dispersjon")


class Indicator(TrackedModel):
    """A count series definition, e.g. GP consultations for influenza-like illness."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, verbose_name=_("navn"))
    description = models.TextField(blank=True, verbose_name=_("beskrivelse"))
    frequency = models.CharField(
        max_length=4, choices=Frequency.choices, default=Frequency.WEEK, verbose_name=_("periode")
    )
    denominator_label = models.CharField(max_length=200, blank=True, verbose_name=_("nevner"))
    method = models.CharField(
        max_length=20,
        choices=Method.choices,
        default=Method.FARRINGTON_FLEXIBLE,
        verbose_name=_("metode"),
    )
    dispersion = models.CharField(
        max_length=10,
        choices=Dispersion.choices,
        default=Dispersion.R_COMPAT,
        verbose_name=_("dispersjon"),
    )
    years_back = models.PositiveSmallIntegerField(default=5, verbose_name=_("år bakover (b)"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")

    def __str__(self) -> str:
        return self.name


class Series(ProtectedModel):
    """One indicator in one area (municipality number, county, health region or the nation),
    optionally for one age group. Municipality numbers are those of the 2024 reference data."""

    DEFAULT_CLASSIFICATION = Classification.BEGRENSET

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="series")
    area_level = models.CharField(
        max_length=14, choices=AreaLevel.choices, verbose_name=_("områdenivå")
    )
    area_code = models.CharField(max_length=8, verbose_name=_("områdekode"))
    area_name = models.CharField(max_length=120, verbose_name=_("område"))
    county_number = models.CharField(max_length=4, blank=True, verbose_name=_("fylkesnummer"))
    age_group = models.CharField(max_length=20, blank=True, verbose_name=_("aldersgruppe"))

    class Meta:
        ordering = ["indicator", "area_level", "area_code", "age_group"]
        verbose_name = _("tidsserie")
        verbose_name_plural = _("tidsserier")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_level", "area_code", "age_group"],
                name="surveillance_series_unique_area",
            )
        ]

    def __str__(self) -> str:
        age = f" ({self.age_group})" if self.age_group else ""
        return f"{self.indicator.name}: {self.area_name}{age}"


class Observation(models.Model):
    """A count as known from ``known_from``; a late correction adds a row, so the value as known
    on any date can be read back (a backtest uses the data as they were)."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="observations")
    period = models.DateField(verbose_name=_("periode (mandag i ISO-uka)"))
    value = models.PositiveIntegerField(verbose_name=_("antall"))
    denominator = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("nevner"))
    known_from = models.DateTimeField(verbose_name=_("kjent fra"))
    source = models.CharField(max_length=20, verbose_name=_("kilde"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["series", "period", "-known_from"]
        indexes = [models.Index(fields=["series", "period", "known_from"])]

    def __str__(self) -> str:
        return f"{self.series_id} {self.period}: {self.value}"


class ResultStatus(models.TextChoices):
    OK = "ok", _("Vurdert")
    TOO_LITTLE = "too_little", _("For lite data")
    FAILED = "failed", _("Modellen feilet")


class Level(models.TextChoices):
    NORMAL = "normal", _("Normal")
    MEDIUM = "medium", _("Middels")
    HIGH = "high", _("Høy")
    UNKNOWN = "unknown", _("Ikke vurdert")


class DetectionRun(models.Model):
    """One detection over all series of an indicator (a background job)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("Kjører")
        DONE = "done", _("Ferdig")
        FAILED = "failed", _("Feilet")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    method = models.CharField(max_length=20, choices=Method.choices)
    dispersion = models.CharField(max_length=10, choices=Dispersion.choices)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    series_count = models.PositiveIntegerField(default=0)
    alarm_count = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.status}"


class DetectionResult(models.Model):
    """The detection's verdict for one series and period (the latest run replaces it)."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="results")
    period = models.DateField()
    observed = models.PositiveIntegerField(null=True)
    expected = models.FloatField(null=True)
    upperbound = models.FloatField(null=True)
    alarm = models.BooleanField(null=True)
    score = models.FloatField(null=True)
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.UNKNOWN)
    status = models.CharField(max_length=10, choices=ResultStatus.choices)
    run = models.ForeignKey(DetectionRun, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["series", "period"]
        constraints = [
            models.UniqueConstraint(fields=["series", "period"], name="surveillance_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.period}: {self.status}"

    @property
    def verdict(self) -> str:
        """What the screen says; a missing verdict is never shown as «normal»."""
        if self.status == ResultStatus.TOO_LITTLE:
            return str(_("for lite data"))
        if self.status == ResultStatus.FAILED:
            return str(_("modellen feilet"))
        return str(Level(self.level).label).lower()


class SignalStatus(models.TextChoices):
    NEW = "new", _("Ny")
    ASSESSING = "assessing", _("Under vurdering")
    DISMISSED = "dismissed", _("Avskrevet")
    CONFIRMED = "confirmed", _("Bekreftet")


OPEN_SIGNAL_STATUSES = (SignalStatus.NEW, SignalStatus.ASSESSING)


class Signal(ProtectedModel):
    """An alarm (or a run of alarms) in one series, to be assessed by its owner: FHI nationally,
    the municipality's medical officer (kommuneoverlegen, smittevernloven § 7-2) locally."""

    DEFAULT_CLASSIFICATION = Classification.BEGRENSET

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="signals")
    first_period = models.DateField(verbose_name=_("første uke"))
    last_period = models.DateField(verbose_name=_("siste uke"))
    peak_observed = models.PositiveIntegerField(verbose_name=_("høyeste antall"))
    peak_expected = models.FloatField(null=True, verbose_name=_("forventet"))
    level = models.CharField(max_length=8, choices=Level.choices, verbose_name=_("nivå"))
    status = models.CharField(
        max_length=10,
        choices=SignalStatus.choices,
        default=SignalStatus.NEW,
        verbose_name=_("status"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarlig"),
    )
    dismissed_reason = models.TextField(blank=True, verbose_name=_("begrunnelse for avskriving"))
    crisis = models.ForeignKey(
        "operations.Crisis",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveillance_signals",
        verbose_name=_("krise"),
    )

    class Meta:
        ordering = ["-last_period", "-pk"]
        verbose_name = _("signal")
        verbose_name_plural = _("signaler")

    def __str__(self) -> str:
        return f"{self.series} – {self.first_period:%G-W%V}"


class SignalEvent(models.Model):
    """The history of a signal: opened, extended, assessed, dismissed, confirmed."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.kind}"


class AlertThreshold(models.TextChoices):
    MEDIUM = "medium", _("Middels og høy")
    HIGH = "high", _("Bare høy")


class AlertSubscription(TrackedModel):
    """A weekly «OBS varsel»: the medical officer (kommuneoverlegen) or county doctor picks
    municipalities and levels and is e-mailed the series that reach them, as Sykdomspulsen's
    users were (smittevernloven § 7-2: the medical officer follows the situation locally).
    What the e-mail holds is read with the subscriber's own need-to-know."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="surveillance_alerts"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    area_codes = models.JSONField(default=list, verbose_name=_("kommuner"))
    threshold = models.CharField(
        max_length=6,
        choices=AlertThreshold.choices,
        default=AlertThreshold.MEDIUM,
        verbose_name=_("nivå"),
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["indicator", "pk"]
        verbose_name = _("OBS-varsel")
        verbose_name_plural = _("OBS-varsler")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.indicator_id} {self.threshold}"


class AlertDispatch(models.Model):
    """What one weekly run did for one subscription: sent (with the address), failed with the
    mail server's reason, or nothing to report. One per subscription and week, so the job can
    run again without sending twice."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Feilet")
        NOTHING = "nothing", _("Ingenting å varsle")
        NO_ADDRESS = "no_address", _("Mangler e-postadresse")

    subscription = models.ForeignKey(
        AlertSubscription, on_delete=models.CASCADE, related_name="dispatches"
    )
    period = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    address = models.CharField(max_length=254, blank=True)
    series_count = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period"], name="surveillance_dispatch_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.period} {self.outcome}"
