"""Web forms for stock movements, blood inventories, personnel counts and emergency water.

Forms only shape and type the input; every rule is enforced again by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.capacity.models import BloodComponent, BloodGroup, Product, Profession, StockLocation

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _now_initial(kwargs: dict[str, Any]) -> None:
    kwargs.setdefault("initial", {}).setdefault(
        "reported_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    )


def apply_errors(form: forms.Form, exc: Exception) -> None:
    """Put a service's refusal on the form: per field where the field exists, else on top."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
        return
    for message in getattr(exc, "messages", None) or [str(exc)]:
        form.add_error(None, message)


class StockMovementForm(forms.Form):
    KIND_CHOICES = [
        ("receipt", _("Mottak")),
        ("issue", _("Uttak")),
        ("transfer", _("Overføring til annet lager")),
    ]
    kind = forms.ChoiceField(choices=KIND_CHOICES, label=_("Type bevegelse"))
    location = forms.ModelChoiceField(queryset=StockLocation.objects.none(), label=_("Lagersted"))
    product = forms.ModelChoiceField(queryset=Product.objects.all(), label=_("Produkt"))
    lot = forms.CharField(max_length=60, label=_("Parti/lot"))
    quantity = forms.IntegerField(min_value=1, label=_("Antall"))
    expires_on = forms.DateField(
        required=False, widget=DATE_WIDGET, label=_("Utløpsdato (ved mottak)")
    )
    target = forms.ModelChoiceField(
        queryset=StockLocation.objects.none(),
        required=False,
        label=_("Til lagersted (ved overføring)"),
    )
    reference = forms.CharField(max_length=200, required=False, label=_("Referanse"))

    def __init__(self, *args: Any, sources: Any, targets: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = sources
        self.fields["target"].queryset = targets

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "transfer" and not data.get("target"):
            self.add_error("target", _("Velg lagerstedet det skal overføres til."))
        if (
            data.get("kind") == "receipt"
            and data.get("expires_on")
            and data["expires_on"] <= timezone.localdate()
        ):
            self.add_error("expires_on", _("Utløpsdatoen er passert; varen kan ikke mottas."))
        return data


class _OrgReportForm(forms.Form):
    owner_org: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        label=_("Organisasjon"),
    )
    reported_at = forms.DateTimeField(widget=DATETIME_WIDGET, label=_("Tidspunkt"))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        _now_initial(kwargs)
        super().__init__(*args, **kwargs)
        self.fields["owner_org"].queryset = organisations
        if organisations.count() == 1:
            self.fields["owner_org"].initial = organisations.first()


class BloodInventoryForm(_OrgReportForm):
    """One screen: units and normal daily use per component and ABO/RhD group."""

    blood_bank = forms.CharField(max_length=200, label=_("Blodbank"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for component in BloodComponent:
            for group in BloodGroup:
                key = self._key(component.value, group.value)
                self.fields[f"{key}__units"] = forms.IntegerField(
                    required=False,
                    min_value=0,
                    label=f"{component.label} {group.label} – {_('enheter')}",
                )
                self.fields[f"{key}__daily"] = forms.DecimalField(
                    required=False,
                    min_value=0,
                    max_digits=7,
                    decimal_places=1,
                    label=f"{component.label} {group.label} – {_('forbruk per døgn')}",
                )

    @staticmethod
    def _key(component: str, group: str) -> str:
        return f"{component}_{group.replace('+', 'pos').replace('-', 'neg')}"

    def grid(self) -> list[dict]:
        return [
            {
                "label": c.label,
                "cells": [
                    {
                        "group": g.label,
                        "units": self[f"{self._key(c.value, g.value)}__units"],
                        "daily": self[f"{self._key(c.value, g.value)}__daily"],
                    }
                    for g in BloodGroup
                ],
            }
            for c in BloodComponent
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for component in BloodComponent.values:
            for group in BloodGroup.values:
                key = self._key(component, group)
                units, daily = data.get(f"{key}__units"), data.get(f"{key}__daily")
                if (units is None) != (daily is None):
                    self.add_error(
                        f"{key}__units", _("Fyll ut både enheter og forbruk, eller ingen av dem.")
                    )
        if not self.errors and not self.counts():
            raise ValidationError(_("Oppgi minst én beholdning."))
        return data

    def counts(self) -> list[dict]:
        rows = []
        for component in BloodComponent.values:
            for group in BloodGroup.values:
                key = self._key(component, group)
                units, daily = (
                    self.cleaned_data.get(f"{key}__units"),
                    self.cleaned_data.get(f"{key}__daily"),
                )
                if units is not None and daily is not None:
                    rows.append(
                        {"component": component, "group": group, "units": units, "daily_use": daily}
                    )
        return rows


class PersonnelReportForm(_OrgReportForm):
    """Counts and absence per profession (numbers only, no names)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for profession in Profession:
            self.fields[f"{profession.value}__count"] = forms.IntegerField(
                required=False, min_value=0, label=f"{profession.label} – {_('antall')}"
            )
            self.fields[f"{profession.value}__absent"] = forms.IntegerField(
                required=False, min_value=0, label=f"{profession.label} – {_('fravær')}"
            )

    def grid(self) -> list[dict]:
        return [
            {
                "label": p.label,
                "count": self[f"{p.value}__count"],
                "absent": self[f"{p.value}__absent"],
            }
            for p in Profession
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for profession in Profession.values:
            count, absent = data.get(f"{profession}__count"), data.get(f"{profession}__absent")
            if count is None and absent:
                self.add_error(f"{profession}__count", _("Oppgi antall når fravær er fylt ut."))
            elif count is not None and absent and absent > count:
                self.add_error(
                    f"{profession}__absent", _("Fravær kan ikke være større enn antall.")
                )
        if not self.errors and not self.counts():
            raise ValidationError(_("Rapporten må ha minst ett yrke."))
        return data

    def counts(self) -> list[dict]:
        return [
            {
                "profession": p,
                "count": self.cleaned_data[f"{p}__count"],
                "absent": self.cleaned_data.get(f"{p}__absent") or 0,
            }
            for p in Profession.values
            if self.cleaned_data.get(f"{p}__count") is not None
        ]


class WaterSupplyForm(forms.Form):
    municipality: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        label=_("Kommune"),
    )
    population_share_pct = forms.IntegerField(
        min_value=0, max_value=100, label=_("Andel av befolkningen som kan forsynes (%)")
    )
    days = forms.IntegerField(min_value=0, max_value=365, label=_("Antall døgn"))
    capacity_litres_per_day = forms.IntegerField(min_value=0, label=_("Kapasitet (liter per døgn)"))
    by_tankers = forms.BooleanField(required=False, label=_("Tankbiler"))
    by_bottled = forms.BooleanField(required=False, label=_("Flaskevann"))
    by_reserve_source = forms.BooleanField(required=False, label=_("Reservevannkilde"))
    hospitals_total = forms.IntegerField(min_value=0, initial=0, label=_("Sykehus i kommunen"))
    hospitals_covered = forms.IntegerField(
        min_value=0, initial=0, label=_("Sykehus som kan forsynes")
    )
    nursing_homes_total = forms.IntegerField(min_value=0, initial=0, label=_("Sykehjem i kommunen"))
    nursing_homes_covered = forms.IntegerField(
        min_value=0, initial=0, label=_("Sykehjem som kan forsynes")
    )
    reviewed_on = forms.DateField(widget=DATE_WIDGET, label=_("Sist gjennomgått"))
    notes = forms.CharField(max_length=500, required=False, label=_("Merknad"))
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any):
        kwargs.setdefault("initial", {}).setdefault("reviewed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for covered, total, text in (
            (
                "hospitals_covered",
                "hospitals_total",
                _("Kan ikke forsyne flere sykehus enn det finnes."),
            ),
            (
                "nursing_homes_covered",
                "nursing_homes_total",
                _("Kan ikke forsyne flere sykehjem enn det finnes."),
            ),
        ):
            if (data.get(covered) or 0) > (data.get(total) or 0):
                self.add_error(covered, text)
        if data.get("population_share_pct") and not any(
            data.get(k) for k in ("by_tankers", "by_bottled", "by_reserve_source")
        ):
            self.add_error(None, _("Oppgi minst én forsyningsmåte."))
        if data.get("reviewed_on") and data["reviewed_on"] > timezone.localdate():
            self.add_error("reviewed_on", _("Gjennomgangsdato kan ikke være fram i tid."))
        return data
