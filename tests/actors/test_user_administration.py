"""User and clearance administration in the product's own screens: an organisation's
administrator manages only her own organisation's people; a security officer registers
clearances, and a lapsed clearance drops the person to UGRADERT."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from beredskap.actors.models import Body, Clearance, Membership
from beredskap.actors.services import users as userservices
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import ApiToken, AuditEvent, User
from tests.factories import make_meeting, make_user, token_for, verified_client


@pytest.fixture
def bodo(org):  # type: ignore[no-untyped-def]
    return org("Bodø kommune")


@pytest.fixture
def bodo_admin(bodo):  # type: ignore[no-untyped-def]
    return make_user("bodoadmin", bodo, role="administrator")


def test_the_administrator_invites_a_person_to_her_organisation(
    bodo, bodo_admin, django_capture_on_commit_callbacks
):
    client = verified_client(bodo_admin)
    url = f"/aktorer/organisasjoner/{bodo.pk}/brukere/"
    form = {
        "action": "invite",
        "email": "ny@bodo.kommune.no",
        "name": "Nina Ny",
        "role": "reporter",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/konto/invitasjon/" in mail.outbox[0].body
    page = client.get(url).content.decode()
    assert "Nina Ny" in page and "Invitert" in page
    member = Membership.objects.get(person__user__username="ny@bodo.kommune.no")
    assert member.organisation == bodo and member.role == "reporter"


def test_a_bad_invitation_keeps_what_she_typed(bodo, bodo_admin):
    response = verified_client(bodo_admin).post(
        f"/aktorer/organisasjoner/{bodo.pk}/brukere/",
        {"action": "invite", "email": "ikke-en-adresse", "name": "Nina Ny", "role": "reader"},
    )
    assert response.status_code == 400
    assert 'value="Nina Ny"' in response.content.decode()
    assert not mail.outbox


def test_an_administrator_never_sees_or_changes_another_organisations_users(bodo, org):
    tromso = org("Tromsø kommune")
    tromso_admin = make_user("tromsoadmin", tromso, role="administrator")
    secret_name = make_user("bodoleser", bodo).person.name
    client = verified_client(tromso_admin)
    response = client.get(f"/aktorer/organisasjoner/{bodo.pk}/brukere/")
    assert response.status_code == 403 and secret_name not in response.content.decode()
    membership = Membership.objects.get(person__user__username="bodoleser")
    response = client.post(
        f"/aktorer/organisasjoner/{tromso.pk}/brukere/",
        {"action": "role", "membership": membership.pk, "role": "administrator"},
    )
    assert Membership.objects.get(pk=membership.pk).role == "reader"
    with pytest.raises(PermissionDenied):
        userservices.change_role(by=tromso_admin, membership=membership, role="administrator")


def test_she_changes_a_role_and_sees_who_has_not_signed_in_for_90_days(bodo, bodo_admin):
    old = make_user("gammel", bodo)
    User.objects.filter(pk=old.pk).update(last_login=timezone.now() - timedelta(days=120))
    fresh = make_user("fersk", bodo)
    User.objects.filter(pk=fresh.pk).update(last_login=timezone.now() - timedelta(days=3))
    client = verified_client(bodo_admin)
    url = f"/aktorer/organisasjoner/{bodo.pk}/brukere/"
    page = client.get(url).content.decode()
    rows = {r.split("</td>")[0]: r for r in page.split("<tr><td>")[1:]}
    assert "Ikke innlogget på 90 dager" in rows["Gammel"]
    assert "Ikke innlogget på 90 dager" not in rows["Fersk"]
    membership = Membership.objects.get(person__user=fresh)
    client.post(url, {"action": "role", "membership": membership.pk, "role": "reporter"})
    assert Membership.objects.get(pk=membership.pk).role == "reporter"
    assert AuditEvent.objects.filter(model="actors.membership", action="update").exists()


def test_deactivating_a_leaver_ends_her_sessions_and_tokens_at_once(bodo, bodo_admin):
    leaver = make_user("slutter", bodo)
    leaver_client = verified_client(leaver)
    headers = token_for(leaver)
    before = leaver_client.get("/aktorer/organisasjoner/?q=Bodø")
    assert before.status_code == 200 and "Bodø kommune" in before.content.decode()
    membership = Membership.objects.get(person__user=leaver)
    response = verified_client(bodo_admin).post(
        f"/aktorer/organisasjoner/{bodo.pk}/brukere/",
        {"action": "deactivate", "membership": membership.pk, "reason": "Sluttet"},
    )
    assert response.status_code == 302
    assert leaver_client.get("/aktorer/organisasjoner/").status_code == 302  # to sign-in
    assert leaver_client.get("/api/v1/organisations", **headers).status_code == 401
    assert not ApiToken.objects.filter(user=leaver, revoked=False).exists()


def test_the_user_import_is_all_or_nothing(bodo, bodo_admin, django_capture_on_commit_callbacks):
    client = verified_client(bodo_admin)
    url = f"/aktorer/organisasjoner/{bodo.pk}/brukere/import/"
    bad = "e-post;navn;rolle\na@bodo.no;A;Leser\nb-uten-krøll;B;Leser\nc@bodo.no;C;Sjef\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("u.csv", bad.encode())})
    html = response.content.decode()
    assert "Linje 3" in html and "Linje 4" in html and "Linje 2" not in html
    assert not User.objects.filter(username="a@bodo.no").exists() and not mail.outbox
    good = "e-post;navn;rolle\na@bodo.no;A;Leser\nc@bodo.no;C;Rapportør\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("u.csv", good.encode())})
    assert "2 invitasjoner er laget" in response.content.decode()
    assert "er sendt" not in response.content.decode()
    assert len(mail.outbox) == 2


# --- clearances -------------------------------------------------------------------------


@pytest.fixture
def officer(bodo):  # type: ignore[no-untyped-def]
    return make_user("sikkerhetsleder", bodo, role="security_officer")


def _register(officer, bodo, user, until):  # type: ignore[no-untyped-def]
    return userservices.register_clearance(
        by=officer,
        organisation=bodo,
        user=user,
        level=1,
        valid_until=until,
        legal_basis="sikkerhetsloven § 8-1",
        authorising_official="Rådmannen i Bodø",
    )


def test_a_lapsed_clearance_stops_the_person_seeing_begrenset_records(bodo, officer):
    person = make_user("klarert", bodo)
    body = Body.objects.get(slug="helseberedskapsradet")
    meeting = make_meeting(body, owner=bodo, classification=1, title="BEGRENSET-MØTE-X")
    clearance = _register(officer, bodo, person, timezone.localdate() + timedelta(days=10))
    person.refresh_from_db()
    client = verified_client(person)
    assert "BEGRENSET-MØTE-X" in client.get("/aktorer/moter/").content.decode()
    assert "BEGRENSET-MØTE-X" in client.get(f"/aktorer/moter/{meeting.pk}/").content.decode()
    Clearance.objects.filter(pk=clearance.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    User.objects.filter(pk=person.pk).update(
        clearance_valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert "BEGRENSET-MØTE-X" not in client.get("/aktorer/moter/").content.decode()
    assert client.get(f"/aktorer/moter/{meeting.pk}/").status_code == 404


def test_the_officer_is_warned_before_a_clearance_lapses(bodo, officer):
    soon = make_user("snart", bodo)
    later = make_user("senere", bodo)
    _register(officer, bodo, soon, timezone.localdate() + timedelta(days=5))
    _register(officer, bodo, later, timezone.localdate() + timedelta(days=200))
    page = verified_client(officer).get(f"/aktorer/organisasjoner/{bodo.pk}/klareringer/")
    warning = page.content.decode().split('id="lapsing"')[1].split("</div>")[0]
    assert "Snart" in warning and "Senere" not in warning


def test_only_the_security_officer_registers_and_only_for_her_members(
    bodo, bodo_admin, officer, org
):
    outsider = make_user("utenfor", org("Tromsø kommune"))
    with pytest.raises(PermissionDenied):
        _register(bodo_admin, bodo, bodo_admin, timezone.localdate() + timedelta(days=30))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _register(officer, bodo, outsider, timezone.localdate() + timedelta(days=30))
    assert (
        verified_client(bodo_admin)
        .get(f"/aktorer/organisasjoner/{bodo.pk}/klareringer/")
        .status_code
        == 403
    )
    outsider.refresh_from_db()
    assert outsider.clearance == 0


def test_the_clearance_form_keeps_input_and_requires_legal_basis(bodo, officer):
    person = make_user("klarert", bodo)
    response = verified_client(officer).post(
        f"/aktorer/organisasjoner/{bodo.pk}/klareringer/",
        {
            "user": person.pk,
            "level": 1,
            "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "legal_basis": "",
            "authorising_official": "Rådmann Ragnhild",
        },
    )
    assert response.status_code == 400
    assert 'value="Rådmann Ragnhild"' in response.content.decode()
    assert not Clearance.objects.exists()


# --- national administration --------------------------------------------------------------


def test_a_national_administrator_creates_an_organisation_and_moves_it_with_a_reason(
    admin_user, org
):
    client = verified_client(admin_user)
    response = client.post(
        "/aktorer/organisasjoner/ny/",
        {"name": "Testlegevakt IKS", "kind": "business", "org_number": "123"},
    )
    assert response.status_code == 400 and 'value="Testlegevakt IKS"' in response.content.decode()
    response = client.post(
        "/aktorer/organisasjoner/ny/", {"name": "Testlegevakt IKS", "kind": "business"}
    )
    from beredskap.actors.models import Organisation

    new = Organisation.objects.get(name="Testlegevakt IKS")
    url = f"/aktorer/organisasjoner/{new.pk}/styring/"
    bodo = org("Bodø kommune")
    form = {"version": new.version, "kind": "business", "parent": bodo.pk, "reason": ""}
    assert client.post(url, form).status_code == 400
    assert client.post(url, {**form, "reason": "Eies av Bodø"}).status_code == 302
    assert Organisation.objects.get(pk=new.pk).parent == bodo
    assert AuditEvent.objects.filter(action="governance_change").exists()


def test_an_organisation_administrator_cannot_open_the_national_screens(bodo, bodo_admin):
    client = verified_client(bodo_admin)
    assert client.get("/aktorer/organisasjoner/ny/").status_code == 403
    assert client.get(f"/aktorer/organisasjoner/{bodo.pk}/styring/").status_code == 403
    assert client.get("/aktorer/kontaktpunkter/import/").status_code == 403


def test_a_national_administrator_unseats_a_body_member_with_a_reason(admin_user, org):
    from beredskap.actors.models import BodyMembership

    body = Body.objects.get(slug="utvalg-smittevern")
    membership = BodyMembership.objects.filter(body=body).first()
    client = verified_client(admin_user)
    url = f"/aktorer/organer/{body.slug}/medlemmer/{membership.pk}/fjern/"
    client.post(url, {"reason": ""})
    assert BodyMembership.objects.filter(pk=membership.pk).exists()
    client.post(url, {"reason": "Ute av utvalget"})
    assert not BodyMembership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="body_member_remove").exists()


def test_only_a_national_administrator_designates_a_security_officer(bodo, bodo_admin, admin_user):
    colleague = make_user("kollega", bodo)
    membership = Membership.objects.get(person__user=colleague)
    with pytest.raises(PermissionDenied):
        userservices.change_role(by=bodo_admin, membership=membership, role="security_officer")
    response = verified_client(bodo_admin).post(
        f"/aktorer/organisasjoner/{bodo.pk}/brukere/",
        {"action": "role", "membership": membership.pk, "role": "security_officer"},
    )
    assert "nasjonal administrator" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == "reader"
    userservices.change_role(by=admin_user, membership=membership, role="security_officer")
    assert userservices.is_security_officer(colleague, bodo)


@pytest.mark.django_db(transaction=True)
def test_an_invitation_the_mail_server_refuses_is_not_called_sent(bodo, bodo_admin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    client = verified_client(bodo_admin)
    url = f"/aktorer/organisasjoner/{bodo.pk}/brukere/"
    form = {"action": "invite", "email": "borte@bodo.kommune.no", "role": "reporter"}
    page = client.post(url, form, follow=True).content.decode()
    assert "nådde ikke fram" in page
    assert "Invitasjonen er sendt" not in page
    assert AuditEvent.objects.filter(action="invitation_not_delivered").exists()


@pytest.mark.parametrize(
    ("home", "role", "may"),
    [
        ("HOD", "administrator", True),  # national administrator
        ("HOD", "secretariat", True),
        ("HOD", "reporter", False),
        ("Tromsø kommune", "secretariat", False),  # a role name is not a national mandate
        ("Tromsø kommune", "administrator", False),  # another organisation's administrator
        ("Bodø kommune", "administrator", True),
    ],
)
def test_who_may_invite_people_to_an_organisation(bodo, org, home, role, may):
    from beredskap.core import accounts

    inviter = make_user("inviterer", org(home), role=role)
    if may:
        accounts.invite(organisation=bodo, email="ny@bodo.no", role="reader", invited_by=inviter)
        assert User.objects.filter(email="ny@bodo.no").exists()
    else:
        with pytest.raises(PermissionDenied):
            accounts.invite(
                organisation=bodo, email="ny@bodo.no", role="reader", invited_by=inviter
            )
        assert not User.objects.filter(email="ny@bodo.no").exists()
