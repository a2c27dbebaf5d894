"""Filters for planning lists (HTML and API)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.core.filters import FilterSet
from beredskap.core.riskareas import RiskArea
from beredskap.planning.models import AssumptionLevel, ScenarioStatus
from beredskap.planning.rules import PlanStatus, PlanType


def _blank(choices):
    return [("", _("Alle")), *choices]


class ScenarioFilterSet(FilterSet):
    search_fields = ("title", "narrative", "geography")
    lookups = {"risk_area": "risk_area", "status": "status"}
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    risk_area = forms.ChoiceField(
        label=_("Risikoområde"), required=False, choices=_blank(RiskArea.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(ScenarioStatus.choices)
    )


class AssumptionFilterSet(FilterSet):
    search_fields = ("title", "statement", "scope")
    lookups = {"level": "level", "owner": "owner_org_id"}
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Nivå"), required=False, choices=_blank(AssumptionLevel.choices)
    )
    owner = forms.IntegerField(
        label=_("Eier (id)"), required=False, min_value=1, widget=forms.HiddenInput
    )


class PlanFilterSet(FilterSet):
    """`status` is computed, so it is applied after the database query (see `apply_status`)."""

    search_fields = ("title", "owner_org__name", "version_label")
    lookups = {
        "plan_type": "plan_type",
        "owner": "owner_org_id",
        "county": "owner_org__municipality__county__number",
    }
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    plan_type = forms.ChoiceField(
        label=_("Plantype"), required=False, choices=_blank(PlanType.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank([c for c in PlanStatus.choices if c[0] != PlanStatus.MISSING]),
    )
    county = forms.RegexField(
        label=_("Fylkesnummer"),
        required=False,
        regex=r"^\d{2}$",
        error_messages={"invalid": _("Fylkesnummer har to sifre.")},
    )
    owner = forms.IntegerField(
        label=_("Eier (id)"), required=False, min_value=1, widget=forms.HiddenInput
    )

    def apply_status(self, rows):
        status = self.cleaned_data.get("status") if self.is_valid() else None
        rows = list(rows)
        return [p for p in rows if p.status == status] if status else rows
