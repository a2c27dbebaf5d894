"""One filter definition per list: the HTML list, the API list and the tests use these."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.actors.models import Organisation
from beredskap.core.filters import FilterSet
from beredskap.core.riskareas import RiskArea
from beredskap.risk.models import (
    AnalysisScope,
    AnalysisStatus,
    EventNature,
    Measure,
    MeasureStatus,
)


def _blank(choices):
    return [("", _("Alle")), *choices]


class RosAnalysisFilterSet(FilterSet):
    search_fields = ("title", "summary", "owner_org__name")
    lookups = {
        "scope": "scope",
        "status": "status",
        "risk_area": "risk_area",
        "owner": "owner_org_id",
        "municipality": "municipality__number",
    }
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    scope = forms.ChoiceField(
        label=_("Omfang"), required=False, choices=_blank(AnalysisScope.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(AnalysisStatus.choices)
    )
    risk_area = forms.ChoiceField(
        label=_("Risikoområde"), required=False, choices=_blank(RiskArea.choices)
    )
    owner = forms.IntegerField(
        label=_("Eier (id)"), required=False, min_value=1, widget=forms.HiddenInput
    )
    municipality = forms.RegexField(
        label=_("Kommunenummer"),
        required=False,
        regex=r"^\d{4}$",
        error_messages={"invalid": _("Kommunenummer har fire sifre.")},
    )


class EventFilterSet(FilterSet):
    search_fields = ("title", "description", "causes")
    lookups = {
        "risk_area": "risk_area",
        "nature": "nature",
        "probability": "probability",
        "analysis": "analysis_id",
    }
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    risk_area = forms.ChoiceField(
        label=_("Risikoområde"), required=False, choices=_blank(RiskArea.choices)
    )
    nature = forms.ChoiceField(label=_("Type"), required=False, choices=_blank(EventNature.choices))
    probability = forms.IntegerField(
        label=_("Sannsynlighet"), required=False, min_value=1, max_value=5
    )
    analysis = forms.IntegerField(
        label=_("Analyse"), required=False, min_value=1, widget=forms.HiddenInput
    )


class MeasureFilterSet(FilterSet):
    search_fields = ("title", "effect_description")
    lookups = {"status": "status", "owner": "owner", "due_before": "due_date__lte"}
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(MeasureStatus.choices)
    )
    # Chosen by name among the organisations that are responsible for a measure (the API passes
    # the organisation's id, as before).
    owner = forms.ModelChoiceField(
        label=_("Ansvarlig"),
        required=False,
        queryset=Organisation.objects.filter(pk__in=Measure.objects.values("owner_id")).order_by(
            "name"
        ),
        empty_label=_("Alle"),
    )
    due_before = forms.DateField(
        label=_("Frist før"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
