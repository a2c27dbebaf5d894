"""Demo users (one per role) and demo meetings. Never used by tests for reference data."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from beredskap.actors import services
from beredskap.actors.models import (
    Body,
    BodyMembership,
    BodyRole,
    ContactKind,
    Meeting,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)
from beredskap.actors.services import contacts as contactservices
from beredskap.core.audit import acting_as
from beredskap.core.classification import Classification
from beredskap.core.models import User


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    org: str
    role: str
    clearance: int = Classification.UGRADERT
    body: str = ""
    body_role: str = ""
    auditor: bool = False


DEMO_USERS = [
    DemoUser("admin", "Ada Administrator", "Helse- og omsorgsdepartementet", Role.ADMINISTRATOR),
    DemoUser(
        "sekretariat",
        "Sigrid Sekretariat",
        "Helse- og omsorgsdepartementet",
        Role.SECRETARIAT,
        Classification.BEGRENSET,
        "helseberedskapssekretariatet",
        BodyRole.SECRETARY,
    ),
    DemoUser(
        "utvalgsleder",
        "Ulrik Utvalgsleder",
        "Helsedirektoratet",
        Role.REPORTER,
        Classification.BEGRENSET,
        "utvalg-smittevern",
        BodyRole.CHAIR,
    ),
    DemoUser(
        "statsforvalter", "Stine Statsforvalter", "Statsforvalteren i Nordland", Role.REPORTER
    ),
    DemoUser("kommune", "Kari Kommune", "Bodø kommune", Role.REPORTER),
    DemoUser("sykehus", "Sverre Sykehus", "Nordlandssykehuset HF", Role.REPORTER),
    DemoUser("leser", "Lars Leser", "Folkehelseinstituttet", Role.READER),
    DemoUser("revisor", "Randi Revisor", "Statens helsetilsyn", Role.AUDITOR, auditor=True),
]


def _user(spec: DemoUser) -> tuple[User, str, str]:
    password = secrets.token_urlsafe(12)
    user, _ = User.objects.get_or_create(username=spec.username)
    first, _, last = spec.name.partition(" ")
    user.first_name, user.last_name = first, last
    user.clearance, user.is_auditor = spec.clearance, spec.auditor
    user.set_password(password)
    user.save()
    person, _ = Person.objects.get_or_create(
        user=user, defaults={"name": spec.name, "email": f"{spec.username}@demo.invalid"}
    )
    org = Organisation.objects.get(name=spec.org)
    Membership.objects.get_or_create(person=person, organisation=org, defaults={"role": spec.role})
    if spec.body:
        body = Body.objects.get(slug=spec.body)
        BodyMembership.objects.get_or_create(
            body=body, person=person, defaults={"role": spec.body_role}
        )
    totp = ""
    if spec.clearance > Classification.UGRADERT:
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, name="demo", confirmed=True
        )
        import base64

        totp = base64.b32encode(device.bin_key).decode()
    return user, password, totp


def _meetings(admin: User, secretary: User) -> None:
    """The council's meetings; the classified one is scheduled by the cleared secretary (no one
    saves a record she could not read herself)."""
    if Meeting.objects.exists():
        return
    council = Body.objects.get(slug="helseberedskapsradet")
    now = timezone.localtime().replace(
        hour=10, minute=0, second=0, microsecond=0
    )  # meetings start at 10:00 Oslo
    open_meeting = services.create_meeting(
        by=admin,
        body=council,
        title="Helseberedskapsrådet – ordinært møte",
        starts_at=now + timedelta(days=10),
        location="HOD, Oslo",
    )
    services.add_agenda_item(
        by=admin, meeting=open_meeting, title="Status helhetlig ROS for sektoren"
    )
    services.add_agenda_item(by=admin, meeting=open_meeting, title="Flerårig strategisk øvingsplan")
    past = services.create_meeting(
        by=secretary,
        body=council,
        title="Helseberedskapsrådet – forsyningssikkerhet",
        starts_at=now - timedelta(days=45),
        classification=Classification.BEGRENSET,
        exempt_public=True,
        exempt_legal_basis="offl. § 13 jf. sikkerhetsloven § 5-3",
    )
    item = services.add_agenda_item(
        by=admin, meeting=past, title="Beredskapslagre for smittevernutstyr"
    )
    decision = services.record_decision(
        by=admin,
        meeting=past,
        agenda_item=item,
        text="Rådet ber DMP legge fram status for seks måneders forbruk av smittevernutstyr.",
    )
    dmp = Organisation.objects.get(short_name="DMP")
    services.add_follow_up_action(
        by=admin,
        meeting=past,
        decision=decision,
        owner_org=dmp,
        title="Statusnotat om beredskapslagre",
        due_date=(now - timedelta(days=5)).date(),
    )
    hdir = Organisation.objects.get(short_name="Hdir")
    services.add_follow_up_action(
        by=admin,
        meeting=past,
        owner_org=hdir,
        title="Forslag til felles planforutsetninger",
        due_date=(now + timedelta(days=14)).date(),
    )


def nordland_organisations() -> models.QuerySet[Organisation]:
    """The demo county's organisations: its municipalities, its statsforvalter, the county
    authority and the hospital trusts that serve it."""
    in_nordland = (
        models.Q(municipality__county__name="Nordland")
        | models.Q(served_counties__name="Nordland")
        | models.Q(served_municipalities__county__name="Nordland")
        | models.Q(kind=OrganisationKind.COUNTY_AUTHORITY, name__icontains="Nordland")
    )
    return Organisation.objects.filter(in_nordland).distinct().order_by("name")


def _contact_points(admin: User) -> None:
    """A vakttelefon and a functional e-mail for every Nordland organisation that has none
    (demo values: valid Nordland numbers in the 75 area, addresses under .invalid)."""
    for index, org in enumerate(nordland_organisations()):
        if org.contact_points.exists():
            continue
        slug = slugify(org.short_name or org.name)[:40] or f"org{org.pk}"
        contactservices.replace_contact_points(
            by=admin,
            organisation=org,
            rows=[
                {"kind": ContactKind.DUTY_PHONE, "value": f"75 50 {index:04d}"[:11], "order": 1},
                {"kind": ContactKind.EMAIL, "value": f"beredskap@{slug}.demo.invalid", "order": 2},
            ],
        )


@transaction.atomic
def load_demo() -> list[tuple[str, str, str, str]]:
    """Create or reset the demo users; returns (username, password, role, TOTP secret)."""
    rows = []
    users = {}
    for spec in DEMO_USERS:
        user, password, totp = _user(spec)
        users[spec.username] = user
        rows.append((spec.username, password, f"{spec.role} – {spec.org}", totp))
    with acting_as(users["admin"]):
        _meetings(users["admin"], users["sekretariat"])
        _contact_points(users["admin"])
    return rows
