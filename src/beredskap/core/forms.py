"""Forms of the shared kernel: sign-in, two-factor, API tokens, audit search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from beredskap.core import security
from beredskap.core.models import TokenScope


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Brukernavn"), max_length=150)
    password = forms.CharField(label=_("Passord"), widget=forms.PasswordInput, strip=False)

    def __init__(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        username, password = cleaned.get("username", ""), cleaned.get("password", "")
        if not username or not password:
            return cleaned
        if security.is_locked_out(username, security.client_ip(self.request)):
            raise forms.ValidationError(
                _(
                    "Kontoen er midlertidig sperret etter for mange mislykkede forsøk. Prøv igjen senere."
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
    action = forms.CharField(label=_("Handling"), required=False, max_length=40)
    actor = forms.CharField(label=_("Bruker"), required=False, max_length=150)
    since = forms.DateField(
        label=_("Fra dato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Til dato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            raise forms.ValidationError(_("Til-dato kan ikke være før fra-dato."))
        return cleaned
