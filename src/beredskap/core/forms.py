"""Forms of the shared kernel: sign-in, two-factor, API tokens, audit search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from beredskap.core import security
from beredskap.core.classification import Classification
from beredskap.core.models import TokenScope


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Brukernavn"), max_length=150)
    password = forms.CharField(label=_("Passord"), widget=forms.PasswordInput, strip=False)

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        username, password = cleaned.get("username", ""), cleaned.get("password", "")
        if not username or not password:
            return cleaned
        if security.is_locked_out(username, security.client_ip(self.request)):
            raise forms.ValidationError(
                _(
                    "Kontoen er midlertidig sperret etter for mange mislykkede forsøk. Prøv "
                    "igjen senere."
                ),
                code="locked",
            )
        # The authentication backend counts the failure (and clears them on success).
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            raise forms.ValidationError(_("Feil brukernavn eller passord."), code="invalid_login")
        self.user = user
        return cleaned


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Engangskode"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Koden har seks sifre.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _record_type_choices() -> list[tuple[str, Any]]:
    """Every audited record type, by its Norwegian name."""
    from django.apps import apps

    from beredskap.core.base import TrackedModel

    types = [
        (m._meta.label_lower, str(m._meta.verbose_name).capitalize())
        for m in apps.get_models()
        if issubclass(m, TrackedModel)
    ]
    return [("", _("Alle"))] + sorted(types, key=lambda t: t[1])


def _code_field(label: Any) -> forms.RegexField:
    return forms.RegexField(
        label=label,
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Koden har seks sifre.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class TotpReplaceForm(forms.Form):
    current = _code_field(_("Kode fra enheten du bruker nå"))
    new = _code_field(_("Kode fra den nye enheten"))


class TwoFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"), max_length=300, widget=forms.TextInput(attrs={"required": True})
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Navn på nøkkelen"), max_length=100)
    scope = forms.ChoiceField(
        label=_("Tilgang"), choices=TokenScope.choices, initial=TokenScope.READ, required=False
    )


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisasjon"),
        required=False,
        queryset=None,
        help_text=_("Poster organisasjonen eier, og handlinger gjort av dens folk."),
    )
    record_type = forms.ChoiceField(label=_("Posttype"), required=False, choices=())
    classification = forms.TypedChoiceField(
        label=_("Gradering"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alle"))] + list(Classification.choices),
    )
    action = forms.CharField(label=_("Handling"), required=False, max_length=40)
    actor = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=150,
        help_text=_("Brukernavn eller navn."),
    )
    since = forms.DateField(
        label=_("Fra dato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Til dato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from beredskap.actors.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["record_type"].choices = _record_type_choices()

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            raise forms.ValidationError(_("Til-dato kan ikke være før fra-dato."))
        return cleaned
