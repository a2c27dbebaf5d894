"""Forms for planning. Choice lists only offer records the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.core.holding import fit_form
from beredskap.core.models import County
from beredskap.planning import queries
from beredskap.planning.models import Plan, PlanningAssumption, RequirementStatus, Scenario
from beredskap.planning.rules import PlanType
from beredskap.risk import queries as risk_queries
from beredskap.risk.forms import DATE, classification_choices

OWNER_LABEL = _("Eierorganisasjon")


class _OwnedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    classification = forms.TypedChoiceField(
        label=_("Gradering"), coerce=int, choices=classification_choices
    )

    def __init__(self, *args: Any, owner_choices: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if "owner_org" in self.fields:
            if self.instance.pk or owner_choices is None:
                del self.fields["owner_org"]
            else:
                self.fields["owner_org"].queryset = owner_choices
                self.fields["owner_org"].label = OWNER_LABEL
                only = list(owner_choices[:2])
                if (
                    len(only) == 1 and not self.is_bound
                ):  # the writer's one organisation: chosen already
                    self.initial.setdefault("owner_org", only[0].pk)

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "owner_org")}


class ScenarioForm(_OwnedForm):
    class Meta:
        model = Scenario
        fields = [
            "owner_org",
            "title",
            "risk_area",
            "status",
            "narrative",
            "assumptions",
            "duration_days",
            "geography",
            "counties",
            "affected_functions",
            "source_events",
            "patients_total",
            "hospital_admissions",
            "icu_beds_peak",
            "personnel_absence_share",
            "stock_consumption_factor",
            "water_affected_persons",
            "water_outage_days",
            "has_epidemic",
            "r0",
            "latent_days",
            "infectious_days",
            "sim_days",
            "seed_exposed",
            "seed_infectious",
            "seed_municipality",
            "ihr",
            "icu_share",
            "classification",
            "exempt_public",
            "exempt_legal_basis",
        ]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "assumptions": forms.Textarea(attrs={"rows": 3}),
            "affected_functions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fit_form(self, user, Scenario)
        self.fields["source_events"].queryset = risk_queries.events(user).select_related("analysis")
        self.fields["source_events"].required = False
        self.fields["counties"].queryset = County.objects.order_by("name")
        self.fields["counties"].required = False
        self.fields["seed_municipality"].queryset = self.fields[
            "seed_municipality"
        ].queryset.order_by("name")


class AssumptionForm(_OwnedForm):
    required_plan_types = forms.MultipleChoiceField(
        label=_("Plantyper som skal bygge på den"),
        required=False,
        choices=PlanType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PlanningAssumption
        fields = [
            "owner_org",
            "title",
            "statement",
            "level",
            "scope",
            "source_scenario",
            "valid_from",
            "valid_until",
            "required_plan_types",
            "classification",
            "exempt_public",
            "exempt_legal_basis",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "valid_from": DATE,
            "valid_until": DATE,
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fit_form(self, user, PlanningAssumption)
        self.fields["source_scenario"].queryset = queries.scenarios(user)


class PlanForm(_OwnedForm):
    class Meta:
        model = Plan
        fields = [
            "owner_org",
            "title",
            "plan_type",
            "version_label",
            "approved_on",
            "last_reviewed_on",
            "review_cycle_years",
            "exercise_cycle_years",
            "scenarios",
            "assumptions",
            "attachment_ref",
            "classification",
            "exempt_public",
            "exempt_legal_basis",
        ]
        widgets = {"approved_on": DATE, "last_reviewed_on": DATE}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fit_form(self, user, Plan)
        self.fields["scenarios"].queryset = queries.scenarios(user)
        self.fields["assumptions"].queryset = queries.assumptions(user)
        self.fields["scenarios"].required = self.fields["assumptions"].required = False


class RequirementForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RequirementStatus.choices)
    evidence = forms.CharField(
        label=_("Dokumentasjon"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_url = forms.URLField(label=_("Lenke"), required=False, assume_scheme="https")
    override_reason = forms.CharField(
        label=_("Begrunnelse for overstyring"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReminderForm(forms.Form):
    topic = forms.CharField(label=_("Gjelder"), max_length=200, required=False)
    message = forms.CharField(
        label=_("Melding"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
