"""Activation of the council, committees and the advisory expert group, liaisons and crisis
roles with hand-over (Meld. St. 5 (2023–2024) 2.2.1)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Body, BodyKind, BodyState, BodyStateChange, Organisation, Person
from beredskap.core.audit import acting_as
from beredskap.core.errors import Conflict, refuse_duplicate
from beredskap.operations.models import (
    BodyActivation,
    Crisis,
    CrisisRoleAssignment,
    ExpertGroupMember,
    Liaison,
)
from beredskap.operations.models.crises import Competence, CrisisRole
from beredskap.operations.permissions import require_coordinator, require_open
from beredskap.operations.services.crises import log


def activate_body(
    *, by: Any, crisis: Crisis, body: Body, reason: str, reports_to: Body | None = None
) -> BodyActivation:
    """Put a body in crisis mode for this crisis; the body's state change is logged too."""
    require_coordinator(by, crisis)
    require_open(crisis)
    if not reason.strip():
        raise ValidationError({"reason": _("Oppgi begrunnelse for aktiveringen.")})
    duplicate = _("%(b)s er allerede aktivert i denne krisen.") % {"b": body.name}
    if BodyActivation.objects.filter(crisis=crisis, body=body).exists():
        raise Conflict(duplicate, code="duplicate")
    if reports_to is None and body.kind == BodyKind.EXPERT_GROUP:
        reports_to = Body.objects.filter(kind=BodyKind.COUNCIL).first()
    now = timezone.now()
    with refuse_duplicate(duplicate), acting_as(by), transaction.atomic():
        activation = BodyActivation.objects.create(
            crisis=crisis, body=body, activated_at=now, reports_to=reports_to, reason=reason.strip()
        )
        if not crisis.is_exercise:
            body.state, body.state_since = BodyState.ACTIVATED, now.date()
            body.save()
            BodyStateChange.objects.create(
                body=body,
                state=BodyState.ACTIVATED,
                at=now,
                by=by,
                reason=f"{crisis.name}: {reason.strip()}"[:300],
            )
        log(
            crisis=crisis,
            by=by,
            kind="activation",
            text=_("%(b)s aktivert. %(r)s") % {"b": body.name, "r": reason.strip()},
        )
    return activation


def add_expert(
    *,
    by: Any,
    activation: BodyActivation,
    name: str,
    competence: str,
    organisation: Organisation | None = None,
    subgroup: str = "",
) -> ExpertGroupMember:
    """Compose the expert group for this crisis by competence."""
    require_coordinator(by, activation.crisis)
    require_open(activation.crisis)
    if activation.body.kind != BodyKind.EXPERT_GROUP:
        raise ValidationError(_("Sammensetning etter kompetanse gjelder bare ekspertutvalget."))
    if competence not in Competence.values:
        raise ValidationError({"competence": _("Ukjent kompetanse.")})
    if subgroup and competence != Competence.MODELLING:
        raise ValidationError({"subgroup": _("Undergrupper gjelder modellering.")})
    with acting_as(by), transaction.atomic():
        member = ExpertGroupMember(
            activation=activation,
            name=name.strip(),
            competence=competence,
            organisation=organisation,
            subgroup=subgroup.strip(),
        )
        member.full_clean()
        member.save()
        log(
            crisis=activation.crisis,
            by=by,
            kind="activation",
            text=_("%(n)s (%(c)s) med i %(b)s.")
            % {"n": member.name, "c": member.get_competence_display(), "b": activation.body.name},
        )
    return member


def add_liaison(
    *, by: Any, crisis: Crisis, organisation: Organisation, name: str, placed_in: Body
) -> Liaison:
    """Record a liaison placed in the secretariat."""
    require_coordinator(by, crisis)
    require_open(crisis)
    if not name.strip():
        raise ValidationError({"name": _("Oppgi navn.")})
    with acting_as(by), transaction.atomic():
        liaison = Liaison.objects.create(
            crisis=crisis,
            organisation=organisation,
            name=name.strip(),
            placed_in=placed_in,
            from_at=timezone.now(),
        )
        log(
            crisis=crisis,
            by=by,
            kind="liaison",
            text=_("Kontaktperson %(n)s fra %(o)s plassert i %(b)s.")
            % {"n": liaison.name, "o": organisation.name, "b": placed_in.name},
        )
    return liaison


def hand_over_role(
    *,
    by: Any,
    crisis: Crisis,
    organisation: Organisation,
    role: str,
    person: Person,
    note: str = "",
) -> CrisisRoleAssignment:
    """Give a crisis role to a person; the previous holder's period ends in the same step."""
    require_open(crisis)
    from beredskap.operations.permissions import is_coordinator, member_of

    if not (is_coordinator(by, crisis) or member_of(by, organisation.pk)):
        from beredskap.core.errors import PermissionDenied

        raise PermissionDenied(
            _("Bare organisasjonens egne folk eller koordinator kan tildele roller.")
        )
    if role not in CrisisRole.values:
        raise ValidationError({"role": _("Ukjent rolle.")})
    if not person.memberships.filter(organisation=organisation).exists():
        raise ValidationError(
            {
                "person": _("%(p)s er ikke registrert i %(o)s.")
                % {"p": person.name, "o": organisation.name}
            }
        )
    now = timezone.now()
    duplicate = _("Rollen ble tildelt av en annen samtidig; last siden på nytt.")
    with refuse_duplicate(duplicate), acting_as(by), transaction.atomic():
        current = (
            CrisisRoleAssignment.objects.select_for_update()
            .filter(crisis=crisis, organisation=organisation, role=role, ended_at=None)
            .first()
        )
        if current is not None:
            if current.person_id == person.pk:
                raise Conflict(
                    _("%(p)s har allerede rollen.") % {"p": person.name}, code="duplicate"
                )
            current.ended_at = now
            current.handover_note = note.strip()
            current.save()
        assignment = CrisisRoleAssignment.objects.create(
            crisis=crisis, organisation=organisation, role=role, person=person, started_at=now
        )
        label = assignment.get_role_display()
        text = (
            _("%(r)s i %(o)s overlevert fra %(a)s til %(b)s. %(n)s")
            % {
                "r": label,
                "o": organisation.name,
                "a": current.person.name,
                "b": person.name,
                "n": note.strip(),
            }
            if current
            else _("%(b)s er %(r)s i %(o)s.")
            % {"b": person.name, "r": label, "o": organisation.name}
        )
        log(crisis=crisis, by=by, kind="role", text=text.strip())
    return assignment
