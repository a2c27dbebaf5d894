"""Forms of the crisis pages (bokmål labels; validation beyond shape lives in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from beredskap.actors.models import Body, Organisation, OrganisationKind
from beredskap.core.classification import Classification
from beredskap.core.filters import FilterSet
from beredskap.core.models import County, Municipality
from beredskap.core.riskareas import RiskArea
from beredskap.operations.models import CrisisLevel, CrisisPhase, LegalBasis, StatusColour
from beredskap.operations.models.alerts import (
    CAP_CATEGORIES,
    CAP_CERTAINTY,
    CAP_SEVERITY,
    CAP_URGENCY,
)
from beredskap.operations.models.decisions import AdviceSource, DecisionLevel
from beredskap.operations.models.resources import ResourceKind

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CrisisFilterSet(FilterSet):
    search_fields = ("name", "crisis_type")
    lookups = {"risk_area": "risk_area", "level": "level", "status": "status"}
    risk_area = forms.ChoiceField(
        choices=[("", _("Alle"))] + list(RiskArea.choices), required=False, label=_("Risikoområde")
    )
    level = forms.ChoiceField(
        choices=[("", _("Alle"))] + list(CrisisLevel.choices), required=False, label=_("Nivå")
    )
    status = forms.ChoiceField(
        choices=[("", _("Alle")), ("open", _("Pågår")), ("closed", _("Avsluttet"))],
        required=False,
        label=_("Status"),
    )
    exercise = forms.ChoiceField(
        choices=[("", _("Alle")), ("0", _("Reelle")), ("1", _("Øvelser"))],
        required=False,
        label=_("Type"),
    )

    def apply(self, queryset):
        queryset = super().apply(queryset)
        if self.is_valid() and self.cleaned_data.get("exercise") in ("0", "1"):
            queryset = queryset.filter(is_exercise=self.cleaned_data["exercise"] == "1")
        return queryset


class CrisisForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Navn"))
    risk_area = forms.ChoiceField(choices=RiskArea.choices, label=_("Risikoområde"))
    crisis_type = forms.CharField(max_length=120, label=_("Type hendelse"))
    level = forms.ChoiceField(
        choices=CrisisLevel.choices, initial=CrisisLevel.CRISIS, label=_("Nivå")
    )
    lead_ministry = forms.ModelChoiceField(
        Organisation.objects.filter(kind=OrganisationKind.MINISTRY),
        label=_("Ansvarlig departement"),
    )
    counties = forms.ModelMultipleChoiceField(
        County.objects.all(),
        required=False,
        label=_("Berørte fylker"),
        help_text=_("Ingen valgt betyr hele landet."),
    )
    classification = forms.TypedChoiceField(
        choices=Classification.choices,
        coerce=int,
        initial=Classification.BEGRENSET,
        label=_("Gradering"),
    )
    is_exercise = forms.BooleanField(required=False, label=_("Kjør som øvelse (ØVELSE)"))


class LevelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    level = forms.ChoiceField(choices=CrisisLevel.choices, label=_("Nivå"))
    phase = forms.ChoiceField(choices=CrisisPhase.choices, label=_("Fase"))
    reason = forms.CharField(max_length=300, label=_("Begrunnelse"))


class ActivationForm(forms.Form):
    body = forms.ModelChoiceField(Body.objects.all(), label=_("Organ"))
    reason = forms.CharField(max_length=300, label=_("Begrunnelse"))


class NotificationForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Tittel"))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Melding"))
    bodies = forms.ModelMultipleChoiceField(Body.objects.all(), required=False, label=_("Organer"))
    organisations = forms.ModelMultipleChoiceField(
        Organisation.objects.all(), required=False, label=_("Organisasjoner")
    )
    ack_within_minutes = forms.IntegerField(
        min_value=1, initial=30, label=_("Kvittering innen (minutter)")
    )


COLOUR_CHOICES = [("", _("– velg status –")), *StatusColour.choices]


def _colour(label: StrOrPromise) -> forms.ChoiceField:
    """A status colour with no default: the reporter must choose one (an untouched form must not
    read as «grønn»)."""
    return forms.ChoiceField(
        choices=COLOUR_CHOICES,
        label=label,
        error_messages={"required": _("Velg statusfarge (grønn, gul eller rød).")},
    )


def _text(label: StrOrPromise, required: bool = False) -> forms.CharField:
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=required,
        label=label,
        error_messages={"required": _("Beskriv situasjonen.")},
    )


class ReportForm(forms.Form):
    situation = _text(_("Situasjon"), required=True)
    situation_colour = _colour(_("Status situasjon"))
    consequences = _text(_("Konsekvenser for pasienter og tjenester"))
    consequences_colour = _colour(_("Status konsekvenser"))
    needs = _text(_("Behov"))
    needs_colour = _colour(_("Status behov"))
    measures = _text(_("Iverksatte tiltak"))
    measures_colour = _colour(_("Status tiltak"))
    outlook = _text(_("Vurdering og utsikter"))
    outlook_colour = _colour(_("Status utsikter"))
    personnel_absence_pct = forms.FloatField(
        min_value=0, max_value=100, required=False, label=_("Personellfravær (%)")
    )


class CountyReportForm(ReportForm):
    """The statsforvalter's edit of her county draft."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    personnel_absence_pct = None  # type: ignore[assignment]


class DecisionForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Vedtak"))
    authority = forms.ModelChoiceField(Organisation.objects.all(), label=_("Ansvarlig myndighet"))
    level = forms.ChoiceField(choices=DecisionLevel.choices, label=_("Nivå"))
    subsidiarity = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Nærhetsprinsippet"),
        help_text=_("Hvorfor vedtaket fattes på dette nivået."),
    )
    legal_basis = forms.ChoiceField(choices=LegalBasis.choices, label=_("Hjemmel (lov)"))
    legal_section = forms.CharField(max_length=40, label=_("Paragraf"))
    advice_source = forms.ChoiceField(
        choices=AdviceSource.choices, required=False, label=_("Råd fra")
    )
    measure = forms.CharField(max_length=300, required=False, label=_("Tiltak"))
    valid_from = forms.DateTimeField(widget=DT, label=_("Gjelder fra"))
    valid_until = forms.DateTimeField(widget=DT, required=False, label=_("Gjelder til"))
    review_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), required=False, label=_("Revurderes")
    )


class TaskForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Oppgave"))
    owner_org = forms.ModelChoiceField(Organisation.objects.all(), label=_("Ansvarlig"))
    due_at = forms.DateTimeField(widget=DT, label=_("Frist"))


class RequestForm(forms.Form):
    requested_by = forms.ModelChoiceField(Organisation.objects.all(), label=_("Bestiller"))
    kind = forms.ChoiceField(choices=ResourceKind.choices, label=_("Type"))
    item = forms.CharField(
        max_length=120,
        label=_("Yrke/produkt"),
        help_text=_(
            "For personell: yrket, f.eks. «Intensivsykepleier», så også "
            "reserveregisteret kan dekke behovet."
        ),
    )
    competence = forms.CharField(
        max_length=120,
        required=False,
        label=_("Kompetanse (valgfritt)"),
        help_text=_("Særskilt kompetanse reservepersonell må ha oppgitt, f.eks. «ECMO»."),
    )
    quantity = forms.IntegerField(min_value=1, label=_("Antall"))
    location = forms.ModelChoiceField(Municipality.objects.all(), label=_("Sted"))
    priority = forms.IntegerField(min_value=1, max_value=5, initial=3, label=_("Prioritet (1–5)"))
    deadline = forms.DateTimeField(widget=DT, label=_("Frist"))


class OfferForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.all(), label=_("Organisasjon"))
    kind = forms.ChoiceField(choices=ResourceKind.choices, label=_("Type"))
    item = forms.CharField(max_length=120, label=_("Yrke/produkt"))
    quantity = forms.IntegerField(min_value=1, label=_("Antall"))
    location = forms.ModelChoiceField(Municipality.objects.all(), label=_("Sted"))
    max_distance_km = forms.IntegerField(
        min_value=0, required=False, label=_("Lengste reiseavstand (km)")
    )


class AlertForm(forms.Form):
    """A public alert as CAP 1.2 fields, labelled in bokmål (the values stay CAP's codes)."""

    event = forms.CharField(max_length=200, label=_("Hendelse"))
    category = forms.ChoiceField(choices=CAP_CATEGORIES, initial="Health", label=_("Kategori"))
    urgency = forms.ChoiceField(choices=CAP_URGENCY, label=_("Hastegrad"))
    severity = forms.ChoiceField(choices=CAP_SEVERITY, label=_("Alvorlighet"))
    certainty = forms.ChoiceField(choices=CAP_CERTAINTY, label=_("Sikkerhet"))
    municipality_numbers = forms.CharField(
        max_length=2000,
        label=_("Kommunenumre"),
        help_text=_("Kommunenummer skilt med komma, f.eks. 1804, 1806."),
    )
    expires = forms.DateTimeField(
        required=False,
        label=_("Gjelder til"),
        help_text=_("Etter dette tidspunktet er varselet ikke lenger i kraft."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    web = forms.URLField(
        required=False, max_length=300, label=_("Lenke til mer informasjon"), assume_scheme="https"
    )
    headline_nb = forms.CharField(max_length=160, label=_("Overskrift (bokmål)"))
    description_nb = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("Beskrivelse (bokmål)")
    )
    instruction_nb = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Råd til publikum (bokmål)"),
    )
    headline_nn = forms.CharField(max_length=160, required=False, label=_("Overskrift (nynorsk)"))
    description_nn = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Beskrivelse (nynorsk)")
    )
    instruction_nn = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Råd til publikum (nynorsk)"),
    )
    headline_en = forms.CharField(max_length=160, required=False, label=_("Overskrift (engelsk)"))
    description_en = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Beskrivelse (engelsk)")
    )
    instruction_en = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Råd til publikum (engelsk)"),
    )

    def infos(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        found = []
        for suffix, lang in (("nb", "nb-NO"), ("nn", "nn-NO"), ("en", "en-GB")):
            if data.get(f"headline_{suffix}"):
                found.append(
                    {
                        "language": lang,
                        "headline": data[f"headline_{suffix}"],
                        "description": data.get(f"description_{suffix}")
                        or data[f"headline_{suffix}"],
                        "instruction": data.get(f"instruction_{suffix}") or "",
                    }
                )
        return found

    def municipalities(self) -> list[Municipality]:
        numbers = [
            n.strip() for n in self.cleaned_data["municipality_numbers"].split(",") if n.strip()
        ]
        found = list(Municipality.objects.filter(number__in=numbers))
        if len(found) != len(set(numbers)):
            unknown = set(numbers) - {m.number for m in found}
            raise forms.ValidationError(
                _("Ukjente kommunenumre: %(n)s") % {"n": ", ".join(sorted(unknown))}
            )
        return found


class LogFilterSet(FilterSet):
    search_fields = ("text",)
    lookups = {"kind": "kind"}
    kind = forms.CharField(required=False, max_length=30, label=_("Type"))
