"""Who may run and manage simulations.

Members of an organisation with a writing role (administrator, secretariat, reporter) may
start runs owned by that organisation and cancel or delete them; everyone else only reads
what ``visible_to`` lets them see (need-to-know). Readers and auditors never write.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from beredskap.actors.models import Membership, Organisation, Role
from beredskap.core.errors import PermissionDenied

WRITING_ROLES = (Role.ADMINISTRATOR, Role.SECRETARIAT, Role.REPORTER)


def writable_orgs(user: Any) -> list[Organisation]:
    """Organisations the user may own runs for."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    ids = Membership.objects.filter(person__user=user, role__in=WRITING_ROLES).values(
        "organisation_id"
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def can_run_for(user: Any, org: Organisation | None) -> bool:
    return org is not None and any(o.pk == org.pk for o in writable_orgs(user))


def can_manage(user: Any, run: Any) -> bool:
    """Cancel, delete or rerun: a writing member of the owning organisation."""
    return can_run_for(user, run.owner_org)


def require_run_for(user: Any, org: Organisation | None) -> None:
    if not can_run_for(user, org):
        raise PermissionDenied(
            _("Du kan bare starte simuleringer for en organisasjon du rapporterer for.")
        )


def require_manage(user: Any, run: Any) -> None:
    if not can_manage(user, run):
        raise PermissionDenied(_("Bare eierorganisasjonen kan endre denne simuleringen."))
