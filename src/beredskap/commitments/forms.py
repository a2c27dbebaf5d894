"""Forms for the commitments tracker."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.actors.models import Organisation
from beredskap.commitments.models import CommitmentStatus, ReportKind
from beredskap.core.classification import Classification


class ProgressForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    text = forms.CharField(
        label=_("Notat om framdrift"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    written_on = forms.DateField(
        label=_("Dato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CommitmentEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    responsible_org = forms.ModelChoiceField(
        label=_("Ansvarlig organisasjon"), queryset=Organisation.objects.all(), required=False
    )
    due_date = forms.DateField(
        label=_("Frist"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_note = forms.CharField(label=_("Om fristen"), required=False, max_length=300)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rapport"), choices=ReportKind.choices)


class PrefaceForm(forms.Form):
    """The secretariat's texts for the current report period."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sender = forms.CharField(label=_("Avsender"), max_length=200)
    recipient = forms.CharField(label=_("Mottaker"), max_length=200)
    classification = forms.TypedChoiceField(
        label=_("Gradering (merkes på hver side)"), choices=Classification.choices, coerce=int
    )
    introduction = forms.CharField(
        label=_("Innledning"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tomme linjer skiller avsnitt."),
    )
    assessment = forms.CharField(
        label=_("Samlet vurdering"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
