"""Who may write what in risk.

The owning organisation's reporters, secretariat and administrators edit its analyses; the
chair or secretary of a body an analysis is shared with (a committee working on its risk
area) may edit too. Approving the sector's comprehensive ROS is for the secretariat or an
administrator of the owner (Meld. St. 5 (2023–2024) 2.2.1: the secretariat runs the national
ROS for the council). Readers and auditors never write.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from beredskap.actors.models import BodyMembership, BodyRole, Membership, Role
from beredskap.core.errors import PermissionDenied

WRITER_ROLES = (Role.REPORTER, Role.SECRETARIAT, Role.ADMINISTRATOR)


def _authenticated(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def writes_for(user: Any, org: Any) -> bool:
    """Whether the user reports for (may write on behalf of) the organisation."""
    if not _authenticated(user) or org is None:
        return False
    return Membership.objects.filter(
        person__user=user, organisation=org, role__in=WRITER_ROLES
    ).exists()


def leads_shared_body(user: Any, record: Any) -> bool:
    if not _authenticated(user) or record.pk is None:
        return False
    return BodyMembership.objects.filter(
        body__in=record.shared_with_bodies.all(),
        person__user=user,
        role__in=[BodyRole.CHAIR, BodyRole.SECRETARY],
    ).exists()


def can_edit(user: Any, record: Any) -> bool:
    return writes_for(user, record.owner_org) or leads_shared_body(user, record)


# Those who act for the owning organisation's leadership: the approval of a ROS is the owner's
# decision (sivilbeskyttelsesloven § 14: the municipal council anchors the overall ROS;
# Meld. St. 5 (2023–2024) 2.2.1: the secretariat runs the sector's ROS for the Ministry). A
# reporter prepares the analysis; a body's chair or secretary edits it; neither approves it.
LEADERSHIP_ROLES = (Role.SECRETARIAT, Role.ADMINISTRATOR)


def can_approve(user: Any, analysis: Any) -> bool:
    if not _authenticated(user):
        return False
    return Membership.objects.filter(
        person__user=user, organisation=analysis.owner_org, role__in=LEADERSHIP_ROLES
    ).exists()


def require_create(user: Any, org: Any) -> None:
    if not writes_for(user, org):
        raise PermissionDenied(
            _("Du kan bare registrere analyser for organisasjoner du rapporterer for.")
        )


def require_edit(user: Any, record: Any) -> None:
    if not can_edit(user, record):
        raise PermissionDenied(_("Du har ikke tilgang til å endre denne analysen."))


def require_approve(user: Any, analysis: Any) -> None:
    if not can_approve(user, analysis):
        raise PermissionDenied(
            _(
                "Bare eierorganisasjonens ledelse (sekretariat eller administrator hos eieren) "
                "kan godkjenne analysen."
            )
        )


def can_delete(user: Any, analysis: Any) -> bool:
    """Drafts are deleted by those who edit them; an approved analysis only by those who may approve
    it."""
    if analysis.is_editable:
        return can_edit(user, analysis)
    return can_approve(user, analysis)


def require_delete(user: Any, analysis: Any) -> None:
    if not can_delete(user, analysis):
        raise PermissionDenied(_("Du har ikke tilgang til å slette denne analysen."))
