"""The sweep's world: marked records at every classification for several owners, shared and
granted, and the personas of the access rule — plus the oracle, which decides from this data
alone (not through `visible_to`) who may see what.

The oracle is the rule of `beredskap.core.access` as written there: clearance at least the
classification AND need to know — the record is open (UGRADERT, not exempt from public access),
or the user is a member of the owning organisation, of one above it in the governance line, or
of the statsforvalter office serving the owning municipality's county; or the record is shared
with a body the user sits in (personally or through a member organisation); or the user or one of
her organisations holds an unexpired grant.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.factories import make_user, seat
from tests.sweep.builder import Builder, Record, _org, child_models, protected_models

OWNERS = ["Bodø kommune", "Universitetssykehuset Nord-Norge HF", "Hdir"]
SHARED_BODY = "ekspertutvalg-helsekriser"  # no member organisations: only seated people
GRANTEE_ORG = "DSB"
CLASSIFICATIONS = (0, 1, 2)
ACCESS_VARIANTS = ("plain", "shared", "grant_user", "grant_org", "grant_expired")


@dataclass(frozen=True)
class PersonaSpec:
    name: str
    org: str | None
    clearance: int
    role: str = "reader"
    auditor: bool = False
    staff: bool = False
    expired: bool = False
    body: str | None = None
    verified: bool = True


PERSONAS = [
    PersonaSpec("eier_kommune", "Bodø kommune", 2, role="reporter"),
    PersonaSpec("eier_hf", "Universitetssykehuset Nord-Norge HF", 2, role="reporter"),
    PersonaSpec("eier_hdir", "Hdir", 2, role="reporter"),
    PersonaSpec("styringslinje_rhf", "Helse Nord RHF", 2),
    PersonaSpec("statsforvalter", "Statsforvalteren i Nordland", 2),
    PersonaSpec("organmedlem", "Bergen kommune", 2, body=SHARED_BODY),
    PersonaSpec("tildelt_person", "Stavanger kommune", 2),
    PersonaSpec("tildelt_org", GRANTEE_ORG, 2),
    PersonaSpec("utenforstaende", "Oslo kommune", 2),
    PersonaSpec("uklarert", "Bodø kommune", 0),
    PersonaSpec("utlopt_klarering", "Universitetssykehuset Nord-Norge HF", 2, expired=True),
    PersonaSpec("revisor", "Helsetilsynet", 1, auditor=True),
    PersonaSpec("orgadmin_annen", "Narvik kommune", 2, role="administrator"),
    PersonaSpec("nasjonal_admin", "HOD", 2, role="administrator"),
    PersonaSpec("uverifisert", "Bodø kommune", 2, verified=False),
    PersonaSpec("stab_uten_klarering", "Oslo kommune", 0, staff=True),
]


@dataclass
class Persona:
    spec: PersonaSpec
    user: Any = None
    clearance: int = -1
    member_org_ids: frozenset[int] = frozenset()
    need_org_ids: frozenset[int] = frozenset()
    body_ids: frozenset[int] = frozenset()

    @property
    def name(self) -> str:
        return self.spec.name


ANONYMOUS = Persona(PersonaSpec("anonym", None, -1))


@dataclass
class World:
    builder: Builder
    personas: list[Persona] = field(default_factory=list)

    @property
    def records(self) -> list[Record]:
        return self.builder.records

    def may_see(self, persona: Persona, record: Record) -> bool:
        """The oracle (see the module docstring)."""
        r = record.access
        if persona.user is None or persona.clearance < r.classification:
            return False
        if r.classification == 0 and not r.exempt:
            return True
        return (
            r.owner_id in persona.need_org_ids
            or bool(r.shared_body_ids & persona.body_ids)
            or persona.user.pk in r.grant_user_ids
            or bool(r.grant_org_ids & persona.member_org_ids)
        )


def build_world(seed: int) -> World:
    """Personas first (grants name them), then every protected model's records and children."""
    world = World(Builder(random.Random(seed)))
    world.personas = [_make_persona(spec) for spec in PERSONAS]
    _compute_need_to_know(world.personas)
    grantee = next(p for p in world.personas if p.name == "tildelt_person")
    for model in protected_models():
        n = 0
        for classification in CLASSIFICATIONS:
            for exempt in (False, True):
                for variant in ACCESS_VARIANTS:
                    owner = _org(OWNERS[n % len(OWNERS)])
                    record = world.builder.build_protected(
                        model,
                        n,
                        owner=owner,
                        classification=classification,
                        exempt=exempt,
                        variant=variant,
                    )
                    _apply_access(record, variant, grantee.user)
                    n += 1
    _build_children(world)
    return world


def _make_persona(spec: PersonaSpec) -> Persona:
    from beredskap.actors.models import Body

    user = make_user(
        f"sweep_{spec.name}",
        _org(spec.org) if spec.org else None,
        role=spec.role,
        clearance=spec.clearance,
        auditor=spec.auditor,
    )
    if spec.expired:
        user.clearance_valid_until = timezone.localdate() - timedelta(days=1)
    if spec.staff:
        user.is_staff = user.is_superuser = True
    user.save()
    if spec.body:
        seat(user, Body.objects.get(slug=spec.body))
    clearance = 0 if spec.expired else spec.clearance
    return Persona(spec, user, clearance)


def _compute_need_to_know(personas: list[Persona]) -> None:
    """Organisations, governance line and bodies, read from the tables (not the access module)."""
    from beredskap.actors.models import BodyMembership, Membership, Organisation

    parent = dict(Organisation.objects.values_list("id", "parent_id"))
    kinds = dict(Organisation.objects.values_list("id", "kind"))
    served: dict[int, set[str]] = {}
    for org_id, county in Organisation.served_counties.through.objects.values_list(
        "organisation_id", "county__number"
    ):
        served.setdefault(org_id, set()).add(county)
    municipality_county = dict(
        Organisation.objects.filter(municipality__isnull=False).values_list(
            "id", "municipality__county__number"
        )
    )
    for persona in personas:
        orgs = frozenset(
            Membership.objects.filter(person__user=persona.user).values_list(
                "organisation_id", flat=True
            )
        )
        below = set(orgs)
        for org_id in parent:
            node, seen = parent[org_id], set()
            while node is not None and node not in seen:
                seen.add(node)
                if node in orgs:
                    below.add(org_id)
                    break
                node = parent.get(node)
        counties = set().union(
            *(served.get(o, set()) for o in orgs if kinds[o] == "statsforvalter")
        )
        below |= {o for o, county in municipality_county.items() if county in counties}
        persona.member_org_ids = orgs
        persona.need_org_ids = frozenset(below)
        persona.body_ids = frozenset(
            BodyMembership.objects.filter(person__user=persona.user).values_list(
                "body_id", flat=True
            )
        ) | frozenset(
            BodyMembership.objects.filter(organisation_id__in=orgs).values_list(
                "body_id", flat=True
            )
        )
        if not persona.spec.verified:
            persona.clearance = 0  # password only: nothing above UGRADERT may reach this session


def _apply_access(record: Record, variant: str, grantee_user: Any) -> None:
    from beredskap.actors.models import Body
    from beredskap.core.models import AccessGrant

    instance = record.model._base_manager.get(pk=record.pk)
    content_type = ContentType.objects.get_for_model(record.model)
    if variant == "shared":
        body = Body.objects.get(slug=SHARED_BODY)
        instance.shared_with_bodies.add(body)
        record.shared_body_ids = frozenset({body.pk})
    elif variant in ("grant_user", "grant_expired"):
        expired = variant == "grant_expired"
        AccessGrant.objects.create(
            content_type=content_type,
            object_id=str(record.pk),
            user=grantee_user,
            reason="sweep",
            expires_at=timezone.now() - timedelta(days=1) if expired else None,
        )
        if not expired:
            record.grant_user_ids = frozenset({grantee_user.pk})
    elif variant == "grant_org":
        grantee_org = _org(GRANTEE_ORG)
        AccessGrant.objects.create(
            content_type=content_type,
            object_id=str(record.pk),
            organisation=grantee_org,
            reason="sweep",
        )
        record.grant_org_ids = frozenset({grantee_org.pk})


def _build_children(world: World) -> None:
    """One child of each kind under the plain and shared records of its parent model."""
    parents = [r for r in world.records if r.variant in ("plain", "shared")]
    for model, link in child_models():
        parent_model = model._meta.get_field(link).related_model
        built, error = 0, ""
        for parent in [p for p in parents if issubclass(p.model, parent_model)]:
            if (
                model._meta.get_field(link).one_to_one
                and model._base_manager.filter(**{link: parent.pk}).exists()
            ):
                continue  # the parent already has its one child (built as a dependency)
            try:
                world.builder.build_child(model, link, parent)
                built += 1
            except Exception as exc:  # noqa: BLE001 - reported, and asserted per model
                error = f"{type(exc).__name__}: {exc}"
        if not built:
            world.builder.failures.append(f"{model._meta.label}: {error or 'no parent'}")
