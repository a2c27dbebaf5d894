"""Property test of need-to-know access (sikkerhetsloven § 8-1: clearance
and need to know).

Hypothesis draws users (memberships, body seats, clearance) and meetings (owner,
classification, exemption, sharing, grants). An independent oracle written from the rule's
text decides what each user may see; every read path — the queryset, the API list, the API
detail, the HTML list and detail, and counts — must return exactly the allowed records.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beredskap.actors.models import Body, Meeting, Organisation
from beredskap.core.models import AccessGrant
from tests.factories import make_meeting, make_user, seat, token_for, verified_client

ORG_POOL = [
    "HOD",
    "Hdir",
    "FHI",
    "Helse Nord RHF",
    "Universitetssykehuset Nord-Norge HF",
    "Bodø kommune",
    "Oslo kommune",
    "Statsforvalteren i Nordland",
    "Forsvaret",
]
BODY_POOL = ["helseberedskapsradet", "utvalg-smittevern", "ekspertutvalg-helsekriser"]

user_spec = st.fixed_dictionaries(
    {
        "orgs": st.sets(st.sampled_from(ORG_POOL), max_size=2),
        "bodies": st.sets(st.sampled_from(BODY_POOL), max_size=1),
        "clearance": st.integers(0, 2),
    }
)
record_spec = st.fixed_dictionaries(
    {
        "owner": st.sampled_from(ORG_POOL),
        "classification": st.integers(0, 2),
        "exempt": st.booleans(),
        "shared": st.sets(st.sampled_from(BODY_POOL), max_size=1),
        "grant_user": st.one_of(st.none(), st.integers(0, 2)),
        "grant_org": st.one_of(st.none(), st.sampled_from(ORG_POOL)),
    }
)


def _org(name: str) -> Organisation:
    return Organisation.objects.filter(short_name=name).first() or Organisation.objects.get(
        name=name
    )


def _need_to_know(user_orgs: set[Organisation], owner: Organisation) -> bool:
    """Oracle: owner is one of the user's organisations or below one in the governance line,
    or a municipality in a county served by the user's statsforvalter office."""
    chain = [owner, *owner.ancestors()]
    if any(o in user_orgs for o in chain):
        return True
    if owner.municipality_id:
        county = owner.municipality.county
        return any(
            o.kind == "statsforvalter" and county in o.served_counties.all() for o in user_orgs
        )
    return False


def _bodies_of(u: dict, user_orgs: set[Organisation]) -> set[str]:
    """Oracle: bodies the user sits in personally or through a member organisation."""
    through_orgs = {m.body.slug for o in user_orgs for m in o.body_memberships.all()}
    return set(u["bodies"]) | through_orgs


def _oracle(u: dict, r: dict, index: int) -> bool:
    if u["clearance"] < r["classification"]:
        return False
    if r["classification"] == 0 and not r["exempt"]:
        return True
    user_orgs = {_org(n) for n in u["orgs"]}
    return (
        _need_to_know(user_orgs, _org(r["owner"]))
        or bool(_bodies_of(u, user_orgs) & r["shared"])
        or r["grant_user"] == index
        or (r["grant_org"] is not None and r["grant_org"] in u["orgs"])
    )


def _build(users: list[dict], records: list[dict]) -> tuple[list, list]:
    made_users = []
    for i, spec in enumerate(users):
        orgs = [_org(n) for n in sorted(spec["orgs"])]
        user = make_user(f"u{i}", orgs[0] if orgs else None, clearance=spec["clearance"])
        for extra in orgs[1:]:
            user.person.memberships.create(organisation=extra, role="reader")
        for slug in spec["bodies"]:
            seat(user, Body.objects.get(slug=slug))
        made_users.append(user)
    meeting_type = ContentType.objects.get_for_model(Meeting)
    made_records = []
    council = Body.objects.get(slug="helseberedskapsradet")
    for j, spec in enumerate(records):
        meeting = make_meeting(
            council,
            owner=_org(spec["owner"]),
            classification=spec["classification"],
            exempt=spec["exempt"],
            title=f"Møte-{j}-x",
        )
        meeting.shared_with_bodies.set([Body.objects.get(slug=s) for s in spec["shared"]])
        if spec["grant_user"] is not None and spec["grant_user"] < len(made_users):
            AccessGrant.objects.create(
                content_type=meeting_type,
                object_id=str(meeting.pk),
                user=made_users[spec["grant_user"]],
                reason="test",
            )
        if spec["grant_org"] is not None:
            AccessGrant.objects.create(
                content_type=meeting_type,
                object_id=str(meeting.pk),
                organisation=_org(spec["grant_org"]),
                reason="test",
            )
        made_records.append(meeting)
    return made_users, made_records


def _html_titles(client) -> set[str]:  # type: ignore[no-untyped-def]
    page = client.get("/aktorer/moter/").content.decode()
    return set(re.findall(r"Møte-\d+-x", page))


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    users=st.lists(user_spec, min_size=1, max_size=3),
    records=st.lists(record_spec, min_size=1, max_size=6),
)
def test_every_read_path_returns_exactly_the_allowed_meetings(users, records):
    try:
        with transaction.atomic():
            made_users, made_records = _build(users, records)
            for i, (spec, user) in enumerate(zip(users, made_users, strict=True)):
                allowed = {made_records[j].pk for j, r in enumerate(records) if _oracle(spec, r, i)}
                queryset_ids = set(Meeting.objects.visible_to(user).values_list("pk", flat=True))
                assert queryset_ids == allowed, (spec, records)
                assert Meeting.objects.visible_to(user).count() == len(allowed)
                api = verified_client(user)
                headers = token_for(user)
                listed = api.get("/api/v1/meetings?limit=100", **headers).json()["items"]
                assert {m["id"] for m in listed} == allowed
                for meeting in made_records:
                    status = api.get(f"/api/v1/meetings/{meeting.pk}", **headers).status_code
                    assert status == (200 if meeting.pk in allowed else 404)
                expected_titles = {m.title for m in made_records if m.pk in allowed}
                assert _html_titles(api) == expected_titles
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db
def test_clearance_alone_never_grants_access(org):
    council = Body.objects.get(slug="helseberedskapsradet")
    secret = make_meeting(council, owner=org("DSA"), classification=1, title="Atom")
    cleared_outsider = make_user("klarert", org("Bodø kommune"), clearance=2)
    assert not Meeting.objects.visible_to(cleared_outsider).filter(pk=secret.pk).exists()


@pytest.mark.django_db
def test_statsforvalter_sees_only_her_municipalities(org):
    council = Body.objects.get(slug="helseberedskapsradet")
    bodo = make_meeting(council, owner=org("Bodø kommune"), exempt=True, title="Bodø ROS")
    oslo = make_meeting(council, owner=org("Oslo kommune"), exempt=True, title="Oslo ROS")
    adviser = make_user("sf", org("Statsforvalteren i Nordland"))
    visible = set(Meeting.objects.visible_to(adviser))
    assert bodo in visible and oslo not in visible


@pytest.mark.django_db
def test_anonymous_sees_nothing_and_the_api_answers_401(org):
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    make_meeting(Body.objects.get(slug="helseberedskapsradet"), title="Åpent")
    assert not Meeting.objects.visible_to(AnonymousUser()).exists()
    response = Client().get("/api/v1/meetings")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
