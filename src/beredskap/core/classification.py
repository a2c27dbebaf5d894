"""Security classification and public-access exemption (sikkerhetsloven ch. 5,
offentleglova).

Levels follow sikkerhetsloven § 5-3. This installation handles UGRADERT, BEGRENSET and
KONFIDENSIELT; HEMMELIG and STRENGT HEMMELIG are refused outright, and the installation's
highest allowed level is the setting BEREDSKAP_MAX_CLASSIFICATION. "Unntatt offentlighet"
(offentleglova § 13 ff.) is not a grade but a separate flag with its legal reference.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.IntegerChoices):
    UGRADERT = 0, _("UGRADERT")
    BEGRENSET = 1, _("BEGRENSET")
    KONFIDENSIELT = 2, _("KONFIDENSIELT")


REFUSED_LEVELS = {"HEMMELIG", "STRENGT HEMMELIG", "STRENGT_HEMMELIG"}


def max_allowed() -> Classification:
    """The installation's highest allowed classification (setting BEREDSKAP_MAX_CLASSIFICATION)."""
    return Classification[settings.BEREDSKAP_MAX_CLASSIFICATION]


def parse_classification(value: str | int) -> Classification:
    """Turn a name or number into a level; refuse HEMMELIG and above and unknown values."""
    if isinstance(value, str):
        name = value.strip().upper()
        if name in REFUSED_LEVELS:
            raise ValidationError(
                _("%(level)s og høyere kan ikke behandles i denne løsningen."),
                params={"level": name},
                code="classification_refused",
            )
        if name not in Classification.names:
            raise ValidationError(_("Ukjent gradering: %(v)s"), params={"v": value}, code="invalid")
        return Classification[name]
    if value not in Classification.values:
        raise ValidationError(_("Ukjent gradering: %(v)s"), params={"v": value}, code="invalid")
    return Classification(value)


def validate_allowed(level: int) -> None:
    """Refuse a level above the installation's maximum."""
    if level > max_allowed():
        raise ValidationError(
            _("Graderingen %(level)s er høyere enn installasjonen tillater (%(max)s)."),
            params={"level": Classification(level).label, "max": max_allowed().label},
            code="classification_above_max",
        )
