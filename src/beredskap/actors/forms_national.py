"""Forms for what only national administrators change: organisations and the governance line."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.actors.models import Organisation, OrganisationKind
from beredskap.core.models import HealthRegion


class OrganisationCreateForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    short_name = forms.CharField(label=_("Kortnavn"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=OrganisationKind.choices)
    org_number = forms.RegexField(
        label=_("Organisasjonsnummer"),
        regex=r"^\d{9}$",
        required=False,
        error_messages={"invalid": _("Organisasjonsnummer har ni sifre.")},
    )
    parent = forms.ModelChoiceField(
        label=_("Styringslinje (overordnet)"), queryset=Organisation.objects.all(), required=False
    )
    reason = forms.CharField(label=_("Begrunnelse"), max_length=300, required=False)

    def clean_org_number(self) -> str | None:
        return self.cleaned_data.get("org_number") or None


class GovernanceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    kind = forms.ChoiceField(label=_("Type"), choices=OrganisationKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Styringslinje (overordnet)"), queryset=Organisation.objects.all(), required=False
    )
    health_region = forms.ModelChoiceField(
        label=_("Helseregion"), queryset=HealthRegion.objects.all(), required=False
    )
    reason = forms.CharField(label=_("Begrunnelse (revideres)"), max_length=300)


class BodyMemberRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Begrunnelse"), max_length=300)
