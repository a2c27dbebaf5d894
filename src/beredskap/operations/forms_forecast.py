"""Forms for the crisis forecast: attach a finished run, detach one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ForecastAttachForm(forms.Form):
    run_id = forms.TypedChoiceField(label=_("Simuleringskjøring"), coerce=int, choices=[])
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Hvorfor skal krisen bygge på denne kjøringen?"),
    )

    def __init__(self, *args: Any, runs: list[dict[str, Any]] = (), **kwargs: Any):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["run_id"].choices = [(r["id"], f"{r['id']}: {r['title']}") for r in runs]


class ForecastDetachForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Begrunnelse"), max_length=500)
