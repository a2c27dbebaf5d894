"""Writes to contact points and named preparedness roles (DESIGN.md style 2): permission,
validation and normalisation, then one audited transaction. An organisation's own
administrator keeps her organisation's contact points current; a national administrator may
do it for any organisation (the national import)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from beredskap.actors.models import (
    ContactKind,
    ContactPoint,
    ContactRole,
    ContactRoleKind,
    Organisation,
    Person,
)
from beredskap.actors.permissions import administers
from beredskap.actors.phones import normalise_email, normalise_phone, normalise_sms
from beredskap.core.audit import acting_as
from beredskap.core.errors import Conflict, PermissionDenied

NORMALISERS = {
    ContactKind.DUTY_PHONE: normalise_phone,
    ContactKind.SMS: normalise_sms,
    ContactKind.EMAIL: normalise_email,
}


def normalise(kind: str, value: str) -> str:
    """The canonical value of a contact of `kind` (E.164 number or e-mail address)."""
    if kind not in NORMALISERS:
        raise ValidationError({"kind": _("Ukjent type kontaktpunkt.")})
    try:
        return NORMALISERS[ContactKind(kind)](value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from None


def require_contact_admin(by: Any, org: Organisation) -> None:
    if not administers(by, org):
        raise PermissionDenied(_("Bare organisasjonens administrator kan endre kontaktpunktene."))


def _refuse_duplicate(org: Organisation, kind: str, value: str, exclude: int | None) -> None:
    clash = ContactPoint.objects.filter(organisation=org, kind=kind, value=value)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise Conflict({"value": _("Kontaktpunktet er allerede registrert.")}, code="duplicate")


def _order_of(order: int | None, org: Organisation) -> int:
    if order is not None:
        if order < 1 or order > 99:
            raise ValidationError({"order": _("Rekkefølgen må være mellom 1 og 99.")})
        return order
    last = org.contact_points.order_by("-order").values_list("order", flat=True).first()
    return min((last or 0) + 1, 99)


def add_contact_point(
    *,
    by: Any,
    organisation: Organisation,
    kind: str,
    value: str,
    label: str = "",
    order: int | None = None,
    available_24_7: bool = True,
) -> ContactPoint:
    """Register a way of reaching the organisation, normalised; the same one twice is refused."""
    require_contact_admin(by, organisation)
    canonical = normalise(kind, value)
    _refuse_duplicate(organisation, kind, canonical, None)
    with acting_as(by), transaction.atomic():
        point = ContactPoint(
            organisation=organisation,
            kind=kind,
            value=canonical,
            label=label.strip()[:100],
            order=_order_of(order, organisation),
            available_24_7=available_24_7,
        )
        point.full_clean()
        point.save()
    return point


def update_contact_point(
    *, by: Any, point: ContactPoint, expected_version: int, **changes: Any
) -> ContactPoint:
    """Change a contact point; refused if someone saved it since `expected_version`."""
    require_contact_admin(by, point.organisation)
    unknown = set(changes) - {"kind", "value", "label", "order", "available_24_7"}
    if unknown:
        raise ValidationError(_("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(unknown))})
    kind = changes.get("kind", point.kind)
    canonical = normalise(kind, changes.get("value", point.value))
    _refuse_duplicate(point.organisation, kind, canonical, point.pk)
    with acting_as(by), transaction.atomic():
        for key, value in changes.items():
            setattr(point, key, value)
        point.value = canonical
        point.order = _order_of(changes.get("order", point.order), point.organisation)
        point.version = expected_version
        point.full_clean()
        point.save()
    return point


def remove_contact_point(*, by: Any, point: ContactPoint) -> None:
    require_contact_admin(by, point.organisation)
    with acting_as(by), transaction.atomic():
        point.delete()


def set_contact_role(
    *, by: Any, organisation: Organisation, role: str, person: Person | None
) -> ContactRole | None:
    """Name the person holding a preparedness role (she must be a member of the organisation);
    `None` leaves the role vacant."""
    require_contact_admin(by, organisation)
    if role not in ContactRoleKind.values:
        raise ValidationError({"role": _("Ukjent rolle.")})
    if person is not None and not person.memberships.filter(organisation=organisation).exists():
        raise ValidationError(
            {"person": _("Personen må være medlem av organisasjonen for å ha rollen.")}
        )
    with acting_as(by), transaction.atomic():
        current = ContactRole.objects.filter(organisation=organisation, role=role).first()
        if person is None:
            if current is not None:
                current.delete()
            return None
        if current is None:
            current = ContactRole(organisation=organisation, role=role, person=person)
        elif current.person_id == person.pk:
            return current
        current.person = person
        current.save()
        return current


def replace_contact_points(
    *, by: Any, organisation: Organisation, rows: list[dict[str, Any]]
) -> list[ContactPoint]:
    """Replace all of an organisation's contact points with `rows` (the national import:
    running the same file twice gives the same result)."""
    require_contact_admin(by, organisation)
    with acting_as(by), transaction.atomic():
        for point in list(organisation.contact_points.all()):
            point.delete()
        return [add_contact_point(by=by, organisation=organisation, **row) for row in rows]
