"""Small builders for test users and records (reference data itself is never faked)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

PASSWORD = "korrekt-hest-batteri-stift"


def make_user(
    username: str,
    organisation: Any = None,
    *,
    role: str = "reader",
    clearance: int = 0,
    auditor: bool = False,
) -> Any:
    from beredskap.actors.models import Membership, Person
    from beredskap.core.models import User

    user = User.objects.create_user(
        username=username, password=PASSWORD, clearance=clearance, is_auditor=auditor
    )
    person = Person.objects.create(name=username.title(), user=user)
    if organisation is not None:
        Membership.objects.create(person=person, organisation=organisation, role=role)
    return user


def seat(user: Any, body: Any, role: str = "member") -> None:
    from beredskap.actors.models import BodyMembership

    BodyMembership.objects.create(body=body, person=user.person, role=role)


def make_meeting(
    body: Any,
    *,
    owner: Any = None,
    classification: int = 0,
    exempt: bool = False,
    title: str = "Møte",
    shared: bool = False,
) -> Any:
    from beredskap.actors.models import Meeting

    meeting = Meeting.objects.create(
        body=body,
        title=title,
        starts_at=timezone.now() + timedelta(days=3),
        owner_org=owner or body.lead_org,
        classification=classification,
        exempt_public=exempt,
        exempt_legal_basis="offl. § 13" if exempt else "",
    )
    if shared:
        meeting.shared_with_bodies.add(body)
    return meeting


def verified_client(user: Any) -> Any:
    """A test client signed in as `user`, with two-factor completed when it is required."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if user.needs_two_factor:
        device = TOTPDevice.objects.filter(
            user=user, confirmed=True
        ).first() or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def token_for(user: Any, *, scope: str = "read_write", verified: bool = True) -> dict[str, str]:
    """API auth headers: by default a read-write token created in a two-factor session."""
    from beredskap.core.apiauth import issue_token

    secret = issue_token(user=user, name="test", verified=verified, scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def author_for(user: Any, level: int) -> Any:
    """`user` if she may save a record at `level`; otherwise a colleague with her memberships
    cleared for it — nobody saves a record graded above her own clearance, so a builder asked for
    a classified record by an uncleared user has it written by someone who may."""
    from beredskap.actors.models import BodyMembership, Membership, Person
    from beredskap.core.holding import highest_holdable
    from beredskap.core.models import User

    if int(level) <= int(highest_holdable(user)):
        return user
    colleague = User.objects.create_user(
        username=f"{user.username}-klarert{User.objects.count()}",
        password=PASSWORD,
        clearance=level,
    )
    person = Person.objects.create(name=f"{user.username} (klarert)", user=colleague)
    for m in Membership.objects.filter(person__user=user):
        Membership.objects.create(person=person, organisation=m.organisation, role=m.role)
    for b in BodyMembership.objects.filter(person__user=user):
        BodyMembership.objects.create(person=person, body=b.body, role=b.role)
    return colleague
