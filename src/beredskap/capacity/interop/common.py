"""Shared helpers: facility look-up and a readable error type for message imports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from beredskap.capacity.models import Facility

MAX_MESSAGE_BYTES = 5 * 1024 * 1024
BEDS_LIST_URI = "urn:no:beredskap:capacity:bed-category"
HAVE_BED_TYPE_URI = "urn:oasis:names:tc:emergency:edxl:have:bedtype"
RESOURCE_LIST_URI = "urn:no:beredskap:capacity:resource"


class MessageInvalid(ValidationError):
    """A message that fails its schema or profile; `problems` lists every finding."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(_("Meldingen er ugyldig: %(p)s") % {"p": "; ".join(problems[:20])})


def find_facility(code: str) -> Facility:
    facility = (
        Facility.objects.filter(code=code, active=True).select_related("organisation").first()
    )
    if facility is None:
        raise MessageInvalid([_("Ukjent enhet: %(c)s") % {"c": code}])
    return facility


def check_size(data: bytes) -> None:
    if len(data) > MAX_MESSAGE_BYTES:
        raise MessageInvalid([_("Filen er for stor (maks 5 MB).")])
    if not data.strip():
        raise MessageInvalid([_("Filen er tom.")])


def category_from_code(list_uri: str, value: str) -> str | None:
    from beredskap.capacity.models import BedCategory
    from beredskap.capacity.models.beds import BED_DEFINITIONS

    if list_uri == BEDS_LIST_URI:
        return value if value in BedCategory.values else None
    if list_uri == HAVE_BED_TYPE_URI:
        for code, definition in BED_DEFINITIONS.items():
            if definition.have_bed_type == value:
                return str(code)
    return None


def facility_report_dict(facility: Any, reported_at: Any, counts: list[dict], **extra: Any) -> dict:
    return {"facility": facility, "reported_at": reported_at, "counts": counts, **extra}
