"""Forms of the shared kernel: sign-in, two-factor, audit search."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from beredskap.core import security


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
        if security.is_locked_out(username):
            raise forms.ValidationError(
                _(
                    "Kontoen er midlertidig sperret etter for mange mislykkede forsøk. Prøv igjen senere."
                ),
                code="locked",
            )
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            security.register_failure(username, self.request.META.get("REMOTE_ADDR", ""))
            raise forms.ValidationError(_("Feil brukernavn eller passord."), code="invalid_login")
        security.clear_failures(username)
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
