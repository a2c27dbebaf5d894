"""Forms for risk. They validate input; services apply the business rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.actors.models import Organisation
from beredskap.core.classification import Classification, max_allowed
from beredskap.risk import classes, subjects
from beredskap.risk.classes import PROBABILITY_LETTERS, Consequence, ConsequenceType, Zone
from beredskap.risk.models import (
    AnalysisScope,
    AnalysisStatus,
    Measure,
    RosAnalysis,
    UndesiredEvent,
    Vulnerability,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def classification_choices() -> list[tuple[int, str]]:
    return [
        (value, str(label)) for value, label in Classification.choices if value <= max_allowed()
    ]


class RosAnalysisForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    classification = forms.TypedChoiceField(
        label=_("Gradering"), coerce=int, choices=classification_choices
    )

    class Meta:
        model = RosAnalysis
        fields = [
            "title",
            "owner_org",
            "scope",
            "risk_area",
            "municipality",
            "method",
            "summary",
            "period_start",
            "period_end",
            "revision_cycle_years",
            "planned_revision_on",
            "acceptance_note",
            "classification",
            "exempt_public",
            "exempt_legal_basis",
        ]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "planned_revision_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "acceptance_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, owner_choices: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if owner_choices is not None:
            self.fields["owner_org"].queryset = owner_choices
        self.fields["owner_org"].label = _("Eierorganisasjon")
        if owner_choices is not None:
            owners = list(owner_choices)
        else:
            owners = [self.instance.owner_org] if self.instance.owner_org_id else []
        self._limit_subjects(owners)
        if self.instance.pk:
            del self.fields["owner_org"]

    def _limit_subjects(self, owners: list[Any]) -> None:
        """Offer only the municipalities the owners may make the overall ROS for, and the
        sector scope only to national owners (see risk.subjects)."""
        ids: set[int] = set()
        for owner in owners:
            ids |= subjects.subject_municipality_ids(owner)
        field = self.fields["municipality"]
        field.queryset = field.queryset.filter(pk__in=ids).order_by("name")
        if not any(o.kind in subjects.NATIONAL_KINDS for o in owners):
            scope = self.fields["scope"]
            scope.choices = [c for c in scope.choices if c[0] != AnalysisScope.SECTOR]


class EventForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = UndesiredEvent
        fields = [
            "title",
            "risk_area",
            "nature",
            "description",
            "causes",
            "existing_barriers",
            "probability",
            "probability_rationale",
            "uncertainty",
            "knowledge_rationale",
            "value_class",
            "threat_actor",
            "threat_level",
            "vulnerability_level",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "description",
                "causes",
                "existing_barriers",
                "probability_rationale",
                "knowledge_rationale",
            )
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for kind, label in ConsequenceType.choices:
            initial = self.instance.consequence_of(kind) if self.instance.pk else None
            self.fields[f"c_{kind}"] = forms.TypedChoiceField(
                label=_("Konsekvens: %(t)s") % {"t": label},
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Ikke vurdert")), *Consequence.choices],
                initial=initial,
            )

    def consequences(self) -> dict[str, int | None]:
        return {kind: self.cleaned_data.get(f"c_{kind}") for kind in ConsequenceType.values}

    def event_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MeasureForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    owner = forms.ModelChoiceField(label=_("Ansvarlig"), queryset=Organisation.objects.all())

    class Meta:
        model = Measure
        fields = ["title", "owner", "due_date", "status", "effect", "effect_description"]
        widgets = {"due_date": DATE, "effect_description": forms.Textarea(attrs={"rows": 2})}


class VulnerabilityForm(forms.ModelForm):
    class Meta:
        model = Vulnerability
        fields = ["description", "level"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(
        label=_("Ny status"),
        choices=[
            (AnalysisStatus.DRAFT, AnalysisStatus.DRAFT.label),
            (AnalysisStatus.CONSULTATION, AnalysisStatus.CONSULTATION.label),
            (AnalysisStatus.APPROVED, AnalysisStatus.APPROVED.label),
        ],
    )
    approved_on = forms.DateField(label=_("Godkjent dato"), required=False, widget=DATE)
    approved_by = forms.CharField(label=_("Godkjent av"), required=False, max_length=200)


class AcceptanceForm(forms.Form):
    """One zone per matrix cell: the owner's acceptance criteria (STANDARDS.md 1.8)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, profile: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        profile = profile or classes.default_profile()
        for c in reversed(classes.CLASSES):
            for p in classes.CLASSES:
                key = classes.cell_key(p, c)
                self.fields[f"z_{p}_{c}"] = forms.ChoiceField(
                    label=_("Sannsynlighet %(p)s, konsekvens %(c)s")
                    % {"p": PROBABILITY_LETTERS[p], "c": c},
                    choices=Zone.choices,
                    initial=profile.get(key),
                )

    def rows(self) -> list[tuple[int, list[Any]]]:
        return [
            (c, [self[f"z_{p}_{c}"] for p in classes.CLASSES]) for c in reversed(classes.CLASSES)
        ]

    def profile(self) -> dict[str, str]:
        return {
            classes.cell_key(p, c): self.cleaned_data[f"z_{p}_{c}"]
            for p in classes.CLASSES
            for c in classes.CLASSES
        }


class CouncilDiscussionForm(forms.Form):
    """Which council meeting discussed the acceptance criteria (Meld. St. 5 (2023–2024) 2.2.1)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    meeting: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Drøftet i rådsmøte"),
        queryset=None,
        required=False,
        empty_label=_("Ikke drøftet ennå"),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        from django.utils import timezone

        from beredskap.actors.models import BodyKind, Meeting

        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.visible_to(user)
            .filter(body__kind=BodyKind.COUNCIL, starts_at__lte=timezone.now())
            .order_by("-starts_at")
        )
