"""Forms for user administration and clearances."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.actors.models import Role
from beredskap.actors.services.users import ORG_ROLES
from beredskap.core.classification import Classification, max_allowed
from beredskap.core.models import User

ROLE_CHOICES = [(r.value, r.label) for r in ORG_ROLES]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-post"))
    name = forms.CharField(label=_("Navn"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Rolle"), choices=ROLE_CHOICES, initial=Role.READER)


class RoleForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Rolle"), choices=ROLE_CHOICES)


class DeactivateForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Begrunnelse"), max_length=500)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.name} ({obj.username})"


class ClearanceForm(forms.Form):
    user = MemberChoiceField(label=_("Person"), queryset=User.objects.none())
    level = forms.TypedChoiceField(label=_("Nivå"), coerce=int, choices=[])
    valid_from = forms.DateField(
        label=_("Gyldig fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Gyldig til"), widget=forms.DateInput(attrs={"type": "date"})
    )
    legal_basis = forms.CharField(
        label=_("Hjemmel"), max_length=300, help_text=_("F.eks. sikkerhetsloven § 8-1")
    )
    authorising_official = forms.CharField(label=_("Autorisasjonsansvarlig"), max_length=200)

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = (
            User.objects.filter(person__memberships__organisation=organisation)
            .select_related("person")
            .order_by("person__name")
        )
        level_field = self.fields["level"]
        assert isinstance(level_field, forms.TypedChoiceField)
        level_field.choices = [
            (v, str(label)) for v, label in Classification.choices if 0 < v <= max_allowed()
        ]
