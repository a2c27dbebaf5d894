"""Forms for running the crisis staff: reporting cycles, the expert group's composition, liaisons,
crisis-role hand-over, adjusting allocation lines and ending deployments (bokmål labels; the rules
themselves live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.actors.models import Body, BodyKind, Membership, Organisation, OrganisationKind
from beredskap.operations.models.crises import Competence, CrisisRole


class CycleForm(forms.Form):
    """A reporting cycle: who reports (organisation types in the crisis area and/or named ones),
    when."""

    name = forms.CharField(max_length=200, label=_("Navn"), initial=_("Daglig situasjonsrapport"))
    due_time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        initial="12:00",
        label=_("Frist (klokkeslett)"),
    )
    starts_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=_("Første rapportdag")
    )
    interval_hours = forms.IntegerField(
        min_value=1, max_value=24 * 7, initial=24, label=_("Intervall (timer)")
    )
    org_kinds = forms.MultipleChoiceField(
        choices=[(k, label) for k, label in OrganisationKind.choices],
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        label=_("Organisasjonstyper"),
        help_text=_("Kommuner, statsforvaltere og helseforetak velges innenfor krisens fylker."),
    )
    organisations = forms.ModelMultipleChoiceField(
        Organisation.objects.order_by("name"), required=False, label=_("Navngitte organisasjoner")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("org_kinds") and not data.get("organisations"):
            raise forms.ValidationError(
                _("Velg hvem som skal rapportere: organisasjonstyper eller navngitte.")
            )
        return data


class ExpertForm(forms.Form):
    """A member of the advisory expert group, chosen for this crisis by competence."""

    name = forms.CharField(max_length=200, label=_("Navn"))
    competence = forms.ChoiceField(choices=Competence.choices, label=_("Kompetanse"))
    organisation = forms.ModelChoiceField(
        Organisation.objects.order_by("name"), required=False, label=_("Organisasjon")
    )
    subgroup = forms.CharField(
        max_length=100, required=False, label=_("Undergruppe (bare modellering)")
    )


class LiaisonForm(forms.Form):
    organisation = forms.ModelChoiceField(
        Organisation.objects.order_by("name"), label=_("Fra organisasjon")
    )
    name = forms.CharField(max_length=200, label=_("Navn"))
    placed_in = forms.ModelChoiceField(Body.objects.all(), label=_("Plassert i"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        secretariat = Body.objects.filter(kind=BodyKind.SECRETARIAT).first()
        if secretariat is not None:
            self.fields["placed_in"].initial = secretariat.pk


class MembershipChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.person.name} ({obj.organisation.name})"


class RoleForm(forms.Form):
    """Give a crisis role to a person in an organisation's staff; the previous holder hands over."""

    role = forms.ChoiceField(choices=CrisisRole.choices, label=_("Rolle"))
    membership = MembershipChoice(Membership.objects.none(), label=_("Person (organisasjon)"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        label=_("Overleveringsnotat"),
        help_text=_("Hva den nye rolleinnehaveren må vite (status, åpne saker)."),
    )

    def __init__(self, *args: Any, memberships: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if memberships is not None:
            self.fields["membership"].queryset = memberships


def role_memberships(user: Any, coordinator: bool) -> Any:
    """Whom the user may give a crisis role: anyone for a coordinator, else their own organisations'
    people."""
    qs = Membership.objects.select_related("person", "organisation").order_by(
        "organisation__name", "person__name"
    )
    if coordinator:
        return qs
    own = Membership.objects.filter(person__user=user).values("organisation_id")
    return qs.filter(organisation_id__in=own)


class LineAdjustForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(min_value=0, label=_("Antall"))
