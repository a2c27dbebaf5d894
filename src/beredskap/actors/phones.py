"""Normalising contact values: telephone numbers with `phonenumbers` (region NO) and e-mail
with Django's validator, so an escalation dials or mails exactly one canonical value
(E.164, ITU-T E.164) whatever way it was typed."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

REGION = "NO"
_SMS_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def _parse(value: str) -> phonenumbers.PhoneNumber:
    text = (value or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("«%(v)s» er ikke et telefonnummer.") % {"v": value}) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("«%(v)s» er ikke et gyldig telefonnummer.") % {"v": value})
    return number


def normalise_phone(value: str) -> str:
    """A valid telephone number in E.164 form (+4712345678); national numbers are read as
    Norwegian."""
    return phonenumbers.format_number(_parse(value), phonenumbers.PhoneNumberFormat.E164)


def normalise_sms(value: str) -> str:
    """A number that can receive SMS: a valid mobile number, in E.164 form."""
    number = _parse(value)
    if phonenumbers.number_type(number) not in _SMS_TYPES:
        raise ValidationError(
            _("«%(v)s» er ikke et mobilnummer og kan ikke motta SMS.") % {"v": value}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(value: str) -> str:
    address = (value or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            _("«%(v)s» er ikke en gyldig e-postadresse.") % {"v": value}
        ) from None
    # the domain is case-insensitive (RFC 5321 §2.4); every mail system the sector uses treats
    # the local part so too, and one form keeps the same mailbox from being registered twice
    return address.lower()


def display_phone(value: str) -> str:
    """How a stored E.164 number is shown: national format for Norway, international otherwise."""
    try:
        number = phonenumbers.parse(value, REGION)
    except phonenumbers.NumberParseException:
        return value
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 47
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)
