"""Filters for exercises, learning points and actions (one definition for HTML and API)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.core.filters import FilterSet
from beredskap.core.riskareas import RiskArea
from beredskap.exercises.models import ActionStatus, ExerciseStatus, ExerciseType


def _blank(choices):
    return [("", _("Alle")), *choices]


class ExerciseFilterSet(FilterSet):
    search_fields = ("title", "purpose", "scenario", "location", "participants__name")
    lookups = {
        "status": "status",
        "exercise_type": "exercise_type",
        "risk_area": "risk_area",
        "plan": "plan_id",
        "after": "starts_on__gte",
        "before": "starts_on__lte",
        "incident": "is_incident",
    }
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(ExerciseStatus.choices)
    )
    exercise_type = forms.ChoiceField(
        label=_("Øvingsform"), required=False, choices=_blank(ExerciseType.choices)
    )
    risk_area = forms.ChoiceField(
        label=_("Risikoområde"), required=False, choices=_blank(RiskArea.choices)
    )
    plan = forms.IntegerField(label=_("Plan"), required=False, widget=forms.HiddenInput)
    after = forms.DateField(
        label=_("Fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.DateField(
        label=_("Til"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    incident = forms.NullBooleanField(
        label=_("Reelle hendelser"),
        required=False,
        widget=forms.Select(
            choices=[("", _("Alle")), ("true", _("Bare hendelser")), ("false", _("Bare øvelser"))]
        ),
    )

    def apply(self, queryset):
        queryset = super().apply(queryset)
        if self.is_valid() and self.cleaned_data.get("incident") is False:
            queryset = queryset.filter(is_incident=False)
        return queryset.distinct()


class LearningPointFilterSet(FilterSet):
    search_fields = ("title", "description", "evaluation__exercise__title", "actions__title")
    lookups = {"risk_area": "risk_area", "owner": "owner_org_id"}
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    risk_area = forms.ChoiceField(
        label=_("Risikoområde"), required=False, choices=_blank(RiskArea.choices)
    )
    owner = forms.IntegerField(label=_("Eier"), required=False, widget=forms.HiddenInput)

    def apply(self, queryset):
        return super().apply(queryset).distinct()


class ActionFilterSet(FilterSet):
    search_fields = ("title", "contact", "learning_point__title")
    lookups = {
        "status": "status",
        "responsible_org": "responsible_org_id",
        "risk_area": "learning_point__evaluation__exercise__risk_area",
        "due_before": "due_date__lt",
    }
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(ActionStatus.choices)
    )
    responsible_org = forms.IntegerField(
        label=_("Ansvarlig"), required=False, widget=forms.HiddenInput
    )
    risk_area = forms.ChoiceField(
        label=_("Risikoområde"), required=False, choices=_blank(RiskArea.choices)
    )
    due_before = forms.DateField(
        label=_("Frist før"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
