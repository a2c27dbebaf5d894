"""Filters for organisations, bodies and meetings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.actors.models import BodyKind, BodyState, OrganisationKind
from beredskap.core.filters import FilterSet
from beredskap.core.models import County, HealthRegion
from beredskap.core.riskareas import RiskArea


def _blank(choices):
    return [("", _("Alle")), *choices]


class OrganisationFilterSet(FilterSet):
    search_fields = ("name", "short_name", "org_number")
    lookups = {
        "kind": "kind",
        "county": "municipality__county__number",
        "health_region": "health_region__code",
    }
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=_blank(OrganisationKind.choices)
    )
    county = forms.ChoiceField(label=_("Fylke"), required=False, choices=[])
    health_region = forms.ChoiceField(label=_("Helseregion"), required=False, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = _blank(list(County.objects.values_list("number", "name")))
        self.fields["health_region"].choices = _blank(
            list(HealthRegion.objects.values_list("code", "name"))
        )


class BodyFilterSet(FilterSet):
    search_fields = ("name", "short_name", "mandate")
    lookups = {"kind": "kind", "state": "state", "risk_area": "risk_area"}
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=_blank(BodyKind.choices))
    state = forms.ChoiceField(
        label=_("Tilstand"), required=False, choices=_blank(BodyState.choices)
    )
    risk_area = forms.ChoiceField(
        label=_("Risikoområde"), required=False, choices=_blank(RiskArea.choices)
    )


class MeetingFilterSet(FilterSet):
    search_fields = ("title", "location")
    lookups = {
        "body": "body__slug",
        "after": "starts_at__date__gte",
        "before": "starts_at__date__lte",
    }
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    body = forms.SlugField(label=_("Organ"), required=False)
    after = forms.DateField(
        label=_("Fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.DateField(
        label=_("Til"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
