"""Forms of the surveillance screens (bokmål)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.surveillance.models import SignalStatus


class UploadForm(forms.Form):
    indicator: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Indikator"))
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        help_text=_(
            "Kolonner: area_level, area_code, period (ÅÅÅÅ-Www), value, denominator, age_group"
        ),
    )

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators


class AssessForm(forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), choices=SignalStatus.choices)
    reason = forms.CharField(label=_("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 3}))
    crisis: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Krise (ved bekreftelse)")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, crises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crisis"].queryset = crises


class TakeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AlertSubscriptionForm(forms.Form):
    """A weekly «OBS varsel» for chosen municipalities and levels."""

    indicator: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Indikator"))
    area_codes = forms.MultipleChoiceField(
        label=_("Kommuner"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    threshold = forms.ChoiceField(label=_("Varsle ved"), choices=())

    def __init__(self, *args, indicators=None, areas=(), **kwargs):
        from beredskap.surveillance.models import AlertThreshold

        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["area_codes"].choices = list(areas)
        self.fields["threshold"].choices = AlertThreshold.choices
