"""Forms for exercises. They validate input; services apply the business rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.actors.forms import classification_choices
from beredskap.actors.models import Body, Organisation
from beredskap.core.riskareas import RiskArea
from beredskap.exercises.models import (
    ActionStatus,
    ControlRole,
    ExerciseStatus,
    ExerciseType,
    ObservationKind,
    ParticipantKind,
    Rating,
)

DATE = {"type": "date"}


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200)
    period_start = forms.IntegerField(label=_("Fra år"), min_value=2000, max_value=2100)
    period_end = forms.IntegerField(label=_("Til år"), min_value=2000, max_value=2100)
    goals = forms.CharField(
        label=_("Mål"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    coordination = forms.CharField(
        label=_("Samordning med andre departementers planer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExerciseForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200)
    exercise_type = forms.ChoiceField(label=_("Øvingsform"), choices=ExerciseType.choices)
    purpose = forms.CharField(
        label=_("Hensikt"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scenario = forms.CharField(
        label=_("Scenario"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    risk_area = forms.ChoiceField(
        label=_("Risikoområde"), choices=RiskArea.choices, initial=RiskArea.GENERAL
    )
    starts_on = forms.DateField(label=_("Startdato"), widget=forms.DateInput(attrs=DATE))
    ends_on = forms.DateField(
        label=_("Sluttdato"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    location = forms.CharField(label=_("Sted"), required=False, max_length=200)
    owner_org = forms.ModelChoiceField(
        label=_("Eierorganisasjon"), queryset=Organisation.objects.all()
    )
    classification = forms.TypedChoiceField(
        label=_("Gradering"), coerce=int, choices=classification_choices, initial=0
    )


class ObjectiveForm(forms.Form):
    text = forms.CharField(label=_("Mål"), max_length=500)
    indicator = forms.CharField(label=_("Indikator"), max_length=500, required=False)


class ParticipantForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kategori"), choices=ParticipantKind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisasjon"), queryset=Organisation.objects.all(), required=False
    )
    name = forms.CharField(
        label=_("Eller navn (frivillig, nordisk, NATO …)"), max_length=200, required=False
    )


class ControlForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle i øvingsstaben"), choices=ControlRole.choices)
    person_name = forms.CharField(label=_("Navn"), max_length=200)


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Ny status"), choices=ExerciseStatus.choices)


class ObservationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ObservationKind.choices)
    objective = forms.IntegerField(label=_("Mål"), required=False, widget=forms.Select)
    rating = forms.ChoiceField(
        label=_("Vurdering"), choices=[("", "—"), *Rating.choices], required=False
    )
    text = forms.CharField(label=_("Observasjon"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].widget.choices = [("", "—"), *[(o.pk, str(o)) for o in objectives]]


class LearningPointForm(forms.Form):
    title = forms.CharField(label=_("Læringspunkt"), max_length=300)
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Tiltak"), max_length=300)
    responsible_org = forms.ModelChoiceField(
        label=_("Ansvarlig organisasjon"), queryset=Organisation.objects.all(), required=False
    )
    contact = forms.CharField(label=_("Kontaktperson"), max_length=200, required=False)
    due_date = forms.DateField(label=_("Frist"), widget=forms.DateInput(attrs=DATE))


class ActionUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in ActionStatus.choices if c[0] != ActionStatus.NOT_TO_BE_DONE],
    )
    evidence = forms.CharField(
        label=_("Dokumentasjon av gjennomføring"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptNotDoneForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Begrunnelse for at tiltaket ikke gjennomføres"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ShareForm(forms.Form):
    bodies = forms.ModelMultipleChoiceField(
        label=_("Organer"), queryset=Body.objects.all(), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisasjoner"), queryset=Organisation.objects.all(), required=False
    )


class ExerciseEditForm(ExerciseForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["owner_org"]


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Hendelse"), max_length=200)
    occurred_on = forms.DateField(label=_("Dato for hendelsen"), widget=forms.DateInput(attrs=DATE))
    risk_area = forms.ChoiceField(
        label=_("Risikoområde"), choices=RiskArea.choices, initial=RiskArea.GENERAL
    )
    owner_org = forms.ModelChoiceField(
        label=_("Eierorganisasjon"), queryset=Organisation.objects.all()
    )
    classification = forms.TypedChoiceField(
        label=_("Gradering"), coerce=int, choices=classification_choices, initial=0
    )
