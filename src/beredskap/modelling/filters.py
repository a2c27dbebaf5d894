"""One filter definition for simulation runs: HTML list, API list and tests."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.core.filters import FilterSet
from beredskap.core.riskareas import RiskArea
from beredskap.modelling.models import RunStatus


def _blank(choices):
    return [("", _("Alle")), *choices]


class SimulationRunFilterSet(FilterSet):
    search_fields = ("title", "scenario_title", "owner_org__name")
    lookups = {
        "status": "status",
        "risk_area": "risk_area",
        "owner_org": "owner_org_id",
        "after": "created_at__date__gte",
        "before": "created_at__date__lte",
    }
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(RunStatus.choices))
    risk_area = forms.ChoiceField(
        label=_("Risikoområde"), required=False, choices=_blank(RiskArea.choices)
    )
    owner_org = forms.IntegerField(
        label=_("Eier (id)"), required=False, min_value=1, widget=forms.HiddenInput
    )
    after = forms.DateField(
        label=_("Fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.DateField(
        label=_("Til"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
