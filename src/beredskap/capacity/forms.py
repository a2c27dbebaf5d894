"""Forms of the capacity pages. The bed report form is one screen: every category in a row."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.capacity.models import BedCategory, Facility, Profession
from beredskap.capacity.models.personnel import Availability, ContactPreference
from beredskap.capacity.services.beds import COUNT_FIELDS

ROW_FIELDS = ("physical", *COUNT_FIELDS)
REQUIRED_IN_ROW = ("staffed", "occupied", "available")
COUNT_LABELS = {
    "physical": _("fysisk"),
    "staffed": _("bemannet"),
    "occupied": _("belagt"),
    "available": _("ledig"),
    "surge_24h": _("+24 t"),
    "surge_72h": _("+72 t"),
}


class BedReportForm(forms.Form):
    facility = forms.ModelChoiceField(queryset=Facility.objects.none(), label=_("Enhet"))
    reported_at = forms.DateTimeField(
        label=_("Tidspunkt"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    surge_active = forms.BooleanField(
        required=False, label=_("Forsterket drift (belegg kan overstige bemannede senger)")
    )
    ventilators_total = forms.IntegerField(min_value=0, initial=0, label=_("Respiratorer totalt"))
    ventilators_in_use = forms.IntegerField(min_value=0, initial=0, label=_("Respiratorer i bruk"))
    ecmo_total = forms.IntegerField(min_value=0, initial=0, label=_("ECMO totalt"))
    ecmo_in_use = forms.IntegerField(min_value=0, initial=0, label=_("ECMO i bruk"))
    comment = forms.CharField(required=False, max_length=500, label=_("Kommentar"))

    def __init__(self, *args: Any, facilities: Any = None, **kwargs: Any):
        kwargs.setdefault("initial", {}).setdefault(
            "reported_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        )
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = (
            facilities if facilities is not None else Facility.objects.none()
        )
        for category in BedCategory:
            for name in ROW_FIELDS:
                self.fields[f"{category.value}__{name}"] = forms.IntegerField(
                    required=False, min_value=0, label=f"{category.label} – {COUNT_LABELS[name]}"
                )

    def category_rows(self) -> list[dict]:
        return [
            {
                "label": c.label,
                "code": c.value,
                "fields": [self[f"{c.value}__{n}"] for n in ROW_FIELDS],
            }
            for c in BedCategory
        ]

    def clean(self) -> dict[str, Any]:
        """A row is all or nothing: a half-filled row is an error, never read as zeros."""
        data = super().clean() or {}
        for category in BedCategory:
            values = {n: data.get(f"{category.value}__{n}") for n in ROW_FIELDS}
            if all(v is None for v in values.values()):
                continue
            for name in REQUIRED_IN_ROW:
                if values[name] is None and f"{category.value}__{name}" not in self.errors:
                    self.add_error(
                        f"{category.value}__{name}",
                        _("%(c)s: fyll ut bemannet, belagt og ledig, eller la raden stå tom.")
                        % {"c": category.label},
                    )
        return data

    def counts(self) -> list[dict]:
        rows = []
        for category in BedCategory.values:
            values = {n: self.cleaned_data.get(f"{category}__{n}") for n in ROW_FIELDS}
            if all(v is None for v in values.values()):
                continue
            rows.append(
                {
                    "category": category,
                    "physical": values.pop("physical"),
                    **{n: (v if v is not None else 0) for n, v in values.items()},
                }
            )
        return rows


class MessageUploadForm(forms.Form):
    FORMAT_CHOICES = [
        ("auto", _("Finn ut selv")),
        ("edxl-have", "EDXL-HAVE 2.0 (XML)"),
        ("fhir", "FHIR R4 MeasureReport (JSON)"),
    ]
    file = forms.FileField(label=_("Fil"))
    fmt = forms.ChoiceField(choices=FORMAT_CHOICES, initial="auto", label=_("Format"))


class VolunteerForm(forms.Form):
    profession = forms.ChoiceField(choices=Profession.choices, label=_("Yrke"))
    hpr_number = forms.RegexField(
        regex=r"^\d{7,9}$",
        required=False,
        label=_("HPR-nummer"),
        error_messages={"invalid": _("HPR-nummer har 7–9 sifre.")},
    )
    specialities = forms.CharField(
        required=False, max_length=300, label=_("Spesialiteter/kompetanse")
    )
    health_region: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        label=_("Helseregion"),
    )
    willing_to_travel = forms.BooleanField(
        required=False, label=_("Jeg kan reise til andre regioner")
    )
    availability = forms.ChoiceField(choices=Availability.choices, label=_("Tilgjengelighet"))
    available_from = forms.DateField(
        required=False, label=_("Tilgjengelig fra"), widget=forms.DateInput(attrs={"type": "date"})
    )
    available_until = forms.DateField(
        required=False, label=_("Tilgjengelig til"), widget=forms.DateInput(attrs={"type": "date"})
    )
    contact_preference = forms.ChoiceField(
        choices=ContactPreference.choices, label=_("Kontaktform")
    )
    phone = forms.CharField(required=False, max_length=20, label=_("Telefon"))

    def __init__(self, *args: Any, with_consent: bool = False, **kwargs: Any):
        from beredskap.core.models import HealthRegion

        super().__init__(*args, **kwargs)
        self.fields["health_region"].queryset = HealthRegion.objects.all()
        if with_consent:
            self.fields["consent"] = forms.BooleanField(
                label=_(
                    "Jeg samtykker til at opplysningene lagres i reserveregisteret og brukes til "
                    "å kontakte meg ved behov. Jeg kan trekke samtykket når som helst."
                )
            )


class ReserveSearchForm(forms.Form):
    profession = forms.ChoiceField(
        choices=[("", _("Alle yrker"))] + list(Profession.choices), required=False, label=_("Yrke")
    )
    competence = forms.CharField(required=False, max_length=100, label=_("Kompetanse"))
    health_region = forms.ChoiceField(
        required=False, label=_("Helseregion"), choices=[("", _("Alle"))]
    )

    def __init__(self, *args: Any, **kwargs: Any):
        from beredskap.core.models import HealthRegion

        super().__init__(*args, **kwargs)
        self.fields["health_region"].choices = [("", _("Alle"))] + [
            (r.code, r.name) for r in HealthRegion.objects.all()
        ]
