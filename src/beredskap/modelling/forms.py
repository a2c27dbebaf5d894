"""The new-run form. It checks each field; the service checks the rules across fields
(:func:`beredskap.modelling.parameters.check_parameters`) and its errors are put back on the
matching field."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from beredskap.core.classification import Classification, max_allowed
from beredskap.core.models import Municipality
from beredskap.modelling.parameters import HEALTH_REGION_CODES, MAX_DAYS, MAX_MEMBERS, RunParameters

CAPACITY_CHOICES = [
    ("reported", _("Rapportert kapasitet (kapasitetsmodulen)")),
    ("entered", _("Oppgitt her, per helseregion")),
    ("default", _("Standardantakelse (5,2 intensivsenger per 100 000 innbyggere)")),
]
REGION_LABELS = {
    "H12": _("Helse Sør-Øst"),
    "H03": _("Helse Vest"),
    "H04": _("Helse Midt-Norge"),
    "H05": _("Helse Nord"),
}
LINE = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\d+(?:[.,]\d+)?)\s*%?\s*([\d\s,]*)$")


def _classification_choices() -> list[tuple[int, str]]:
    return [
        (value, str(label)) for value, label in Classification.choices if value <= max_allowed()
    ]


def _municipality_choices() -> list[tuple[str, Any]]:
    rows = Municipality.objects.order_by("name").values_list("number", "name")
    return [("", _("Største kommune (Oslo)")), *((n, f"{name} ({n})") for n, name in rows)]


def parse_interventions(text: str) -> list[dict[str, Any]]:
    """Lines «startdag sluttdag reduksjon% [kommunenr, …]» → intervention dicts."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = LINE.match(line)
        if not match:
            raise ValidationError(
                _("Linje %(n)d: skriv «startdag sluttdag reduksjon%%», for eksempel «30 90 40»."),
                params={"n": number},
            )
        start, end, pct, codes = match.groups()
        reduction = float(pct.replace(",", ".")) / 100
        if reduction > 1:
            raise ValidationError(
                _("Linje %(n)d: reduksjonen kan ikke være over 100 %%."), params={"n": number}
            )
        munis = [c for c in re.split(r"[\s,]+", codes.strip()) if c]
        out.append(
            {
                "start_day": int(start),
                "end_day": int(end),
                "reduction": reduction,
                "municipalities": munis or None,
            }
        )
    return out


def format_interventions(items: list[dict]) -> str:
    lines = []
    for iv in items or []:
        codes = " " + ",".join(iv["municipalities"]) if iv.get("municipalities") else ""
        lines.append(
            f"{iv['start_day']} {iv['end_day']} {round(iv['reduction'] * 100, 1):g}{codes}"
        )
    return "\n".join(lines)


class SimulationRunForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200)
    owner_org: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Eierorganisasjon"), queryset=None, empty_label=None
    )
    classification = forms.TypedChoiceField(
        label=_("Gradering"),
        coerce=int,
        choices=_classification_choices,
        initial=Classification.UGRADERT,
    )
    is_exercise = forms.BooleanField(
        label=_("Øvelseskjøring"),
        required=False,
        help_text=_(
            "En øvelseskjøring kan bare knyttes til en øvelse, en reell kjøring bare til "
            "en reell krise."
        ),
    )
    scenario_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    r0 = forms.FloatField(
        label=_("Basalt reproduksjonstall (R0)"), min_value=0.01, max_value=20, initial=2.0
    )
    r0_low = forms.FloatField(
        label=_("R0 nedre grense (usikkerhet)"), required=False, min_value=0.01, max_value=20
    )
    r0_high = forms.FloatField(
        label=_("R0 øvre grense (usikkerhet)"), required=False, min_value=0.01, max_value=20
    )
    latent_days = forms.FloatField(
        label=_("Latenstid (dager)"), min_value=0.1, max_value=30, initial=3.0
    )
    infectious_days = forms.FloatField(
        label=_("Smittsom periode (dager)"), min_value=0.1, max_value=60, initial=5.0
    )
    days = forms.IntegerField(label=_("Antall dager"), min_value=1, max_value=MAX_DAYS, initial=365)
    start_date = forms.DateField(
        label=_("Startdato (dag 0)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deterministic = forms.BooleanField(
        label=_("Deterministisk (gjennomsnittsbane)"), required=False
    )
    members = forms.IntegerField(
        label=_("Antall ensemblemedlemmer"), min_value=1, max_value=MAX_MEMBERS, initial=100
    )
    seed = forms.IntegerField(label=_("Frø (seed)"), min_value=0, max_value=2**31 - 1, initial=1)
    seed_municipality = forms.ChoiceField(label=_("Smitte starter i"), required=False, choices=[])
    seed_exposed = forms.IntegerField(
        label=_("Eksponerte ved start"), min_value=0, max_value=100_000, initial=20
    )
    seed_infectious = forms.IntegerField(
        label=_("Smittsomme ved start"), min_value=0, max_value=100_000, initial=20
    )
    interventions = forms.CharField(
        label=_("Tiltak (kontaktreduksjon)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Én linje per tiltak: startdag sluttdag reduksjon%, eventuelt kommunenumre. "
            "Eksempel: «30 90 40» eller «30 60 50 0301,3201»."
        ),
    )
    ihr = forms.FloatField(
        label=_("Andel smittede som innlegges (IHR)"), min_value=0, max_value=1, initial=0.01
    )
    icu_share = forms.FloatField(
        label=_("Andel innlagte som trenger intensiv"), min_value=0, max_value=1, initial=0.15
    )
    hospital_los_days = forms.FloatField(
        label=_("Liggetid sengepost (dager, snitt)"), min_value=0.5, max_value=90, initial=6.0
    )
    icu_los_days = forms.FloatField(
        label=_("Liggetid intensiv (dager, snitt)"), min_value=0.5, max_value=120, initial=10.0
    )
    capacity_source = forms.ChoiceField(
        label=_("Intensivkapasitet"), choices=CAPACITY_CHOICES, initial="reported"
    )
    cap_H12 = forms.IntegerField(
        label=_("Intensivsenger Helse Sør-Øst"), required=False, min_value=0
    )
    cap_H03 = forms.IntegerField(label=_("Intensivsenger Helse Vest"), required=False, min_value=0)
    cap_H04 = forms.IntegerField(
        label=_("Intensivsenger Helse Midt-Norge"), required=False, min_value=0
    )
    cap_H05 = forms.IntegerField(label=_("Intensivsenger Helse Nord"), required=False, min_value=0)

    def __init__(self, *args: Any, orgs: list | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from beredskap.actors.models import Organisation

        self.fields["owner_org"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in orgs or []]
        )
        self.fields["seed_municipality"].choices = _municipality_choices()

    def clean_interventions(self) -> list[dict]:
        return parse_interventions(self.cleaned_data.get("interventions") or "")

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("capacity_source") == "entered":
            for code in HEALTH_REGION_CODES:
                if cleaned.get(f"cap_{code}") is None:
                    self.add_error(f"cap_{code}", _("Oppgi kapasitet når den skal oppgis her."))
        return cleaned

    def parameters(self) -> dict:
        """The run parameters (a dict for :class:`RunParameters`)."""
        d = self.cleaned_data
        names = set(RunParameters.model_fields) - {"capacity_entered", "beta"}
        params = {k: d[k] for k in names if k in d and d[k] not in (None, "")}
        params["interventions"] = d.get("interventions") or []
        params["seed_municipality"] = d.get("seed_municipality") or None
        if d.get("capacity_source") == "entered":
            params["capacity_entered"] = {c: d[f"cap_{c}"] for c in HEALTH_REGION_CODES}
        if params.get("start_date"):
            params["start_date"] = params["start_date"].isoformat()
        return params

    def apply_errors(self, exc: ValidationError) -> None:
        """Put a service ValidationError on the matching fields."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.message_dict.items():
            target = field.split(".")[0]
            if target == "capacity_entered":
                target = "cap_H12"
            self.add_error(target if target in self.fields else None, errors)


def initial_from_parameters(params: dict) -> dict:
    """Form initial values from stored or scenario parameters."""
    initial = {
        k: v for k, v in params.items() if k not in ("interventions", "capacity_entered", "beta")
    }
    if params.get("beta") is not None:
        from beredskap.sim.params import r0_from_beta

        initial["r0"] = round(r0_from_beta(params["beta"], params.get("infectious_days", 5.0)), 3)
    initial["interventions"] = format_interventions(params.get("interventions") or [])
    for code, beds in (params.get("capacity_entered") or {}).items():
        initial[f"cap_{code}"] = beds
    return initial
