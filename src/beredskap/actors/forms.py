"""Forms for actors. They validate input; services apply the business rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.actors.models import BodyRole, BodyState, Meeting, Organisation
from beredskap.core.classification import Classification, max_allowed


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class OrganisationForm(VersionedForm):
    short_name = forms.CharField(label=_("Kortnavn"), required=False, max_length=50)
    org_number = forms.RegexField(
        label=_("Organisasjonsnummer"),
        required=False,
        regex=r"^\d{9}$",
        error_messages={"invalid": _("Organisasjonsnummeret har ni sifre.")},
    )


class BodyMemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisasjon"), queryset=Organisation.objects.all()
    )
    role = forms.ChoiceField(label=_("Rolle"), choices=BodyRole.choices, initial=BodyRole.MEMBER)
    reason = forms.CharField(label=_("Begrunnelse"), max_length=300)


class BodyStateForm(forms.Form):
    state = forms.ChoiceField(label=_("Tilstand"), choices=BodyState.choices)
    reason = forms.CharField(label=_("Begrunnelse"), max_length=300)


def classification_choices() -> list[tuple[int, str]]:
    return [
        (value, str(label)) for value, label in Classification.choices if value <= max_allowed()
    ]


class MeetingForm(forms.ModelForm):
    classification = forms.TypedChoiceField(
        label=_("Gradering"), coerce=int, choices=classification_choices
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "starts_at",
            "location",
            "classification",
            "exempt_public",
            "exempt_legal_basis",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("exempt_public") and not cleaned.get("exempt_legal_basis", "").strip():
            self.add_error(
                "exempt_legal_basis", _("Oppgi hjemmel når møtet er unntatt offentlighet.")
            )
        return cleaned


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Sak"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MinutesForm(VersionedForm):
    minutes = forms.CharField(
        label=_("Referat"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    attendees: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Til stede"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = candidates


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Vedtak"), widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpActionForm(forms.Form):
    title = forms.CharField(label=_("Oppfølgingspunkt"), max_length=300)
    owner_org = forms.ModelChoiceField(
        label=_("Ansvarlig organisasjon"), queryset=Organisation.objects.all()
    )
    due_date = forms.DateField(label=_("Frist"), widget=forms.DateInput(attrs={"type": "date"}))
