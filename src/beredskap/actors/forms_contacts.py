"""Forms for contact points, preparedness roles and the national import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.actors.models import ContactKind, ContactRoleKind, Person


class ContactPointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ContactKind.choices)
    value = forms.CharField(
        label=_("Nummer eller adresse"),
        max_length=254,
        help_text=_("Telefonnummer (norske nummer uten landkode går fint) eller e-postadresse."),
    )
    label = forms.CharField(label=_("Beskrivelse"), max_length=100, required=False)
    order = forms.IntegerField(
        label=_("Rekkefølge ved varsling"),
        min_value=1,
        max_value=99,
        required=False,
        help_text=_("1 varsles først. Tomt: etter de andre."),
    )
    available_24_7 = forms.BooleanField(
        label=_("Døgnbemannet (24/7)"), required=False, initial=True
    )


class ContactRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=ContactRoleKind.choices)
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("(ingen – rollen er ledig)"),
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Person.objects.filter(memberships__organisation=organisation).order_by(
            "name"
        )


class ImportFileForm(forms.Form):
    file = forms.FileField(label=_("Fil (CSV eller XLSX)"))
