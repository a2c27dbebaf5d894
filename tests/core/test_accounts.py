"""Local accounts: password change and reset, invitations, deactivation, local login switch."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from beredskap.core import accounts
from beredskap.core.accountmodels import Invitation
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import ApiToken, AuditEvent, User
from tests.factories import PASSWORD, make_user, token_for, verified_client

NEW_PASSWORD = "ny-lang-og-sikker-frase-42"


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- password change --------------------------------------------------------------------------


def test_password_change_requires_the_current_password(org):
    user = make_user("bytte", org("Bodø kommune"))
    client = verified_client(user)
    wrong = client.post(
        "/konto/passord/",
        {"old_password": "feil", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and "gamle passord er galt" in wrong.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.check_password(NEW_PASSWORD)


def test_password_change_sets_the_new_password_and_is_audited(org):
    user = make_user("bytte2", org("Bodø kommune"))
    client = verified_client(user)
    done = client.post(
        "/konto/passord/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == "/konto/passord/endret/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="password_changed", actor=user).exists()
    assert signed_in(client)


def test_password_change_asks_a_cleared_user_for_two_factor_first(org):
    user = make_user("bytte3", org("HOD"), clearance=1)
    client = Client()
    client.force_login(user)
    assert client.get("/konto/passord/")["Location"].startswith("/konto/tofaktor/")


# --- password reset ---------------------------------------------------------------------------


def _request_reset(email: str) -> Client:
    client = Client()
    answer = client.post("/konto/passord/glemt/", {"email": email})
    assert answer["Location"] == "/konto/passord/glemt/sendt/"
    return client


def _reset_link() -> str:
    body = mail.outbox[-1].body
    return urlsplit(re.search(r"http://\S+/konto/passord/ny/\S+", body).group(0)).path


def test_password_reset_mails_a_link_that_sets_a_new_password(org):
    user = make_user("glemsk", org("Bodø kommune"))
    User.objects.filter(pk=user.pk).update(email="glemsk@bodo.kommune.no")
    _request_reset("glemsk@bodo.kommune.no")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["glemsk@bodo.kommune.no"]
    assert "kan brukes én gang" in mail.outbox[0].body
    client = Client()
    form = client.get(_reset_link(), follow=True)
    assert "Sett nytt passord" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == "/konto/passord/ny/ferdig/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_says_nothing_about_an_unknown_address(org):
    answer = _request_reset("ingen@example.no")
    page = answer.get("/konto/passord/glemt/sendt/").content.decode()
    assert "Hvis adressen hører til en aktiv konto" in page
    assert mail.outbox == []


def test_a_used_reset_link_is_refused(org):
    user = make_user("brukt", org("Bodø kommune"))
    User.objects.filter(pk=user.pk).update(email="brukt@example.no")
    _request_reset("brukt@example.no")
    link = _reset_link()
    client = Client()
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    again = Client().get(link, follow=True).content.decode()
    assert "utløpt eller allerede brukt" in again and "Lagre nytt passord" not in again


def test_an_expired_reset_link_is_refused(org, settings):
    user = make_user("utlopt", org("Bodø kommune"))

    class Yesterday(PasswordResetTokenGenerator):
        def _now(self):  # type: ignore[no-untyped-def]
            return timezone.now().replace(tzinfo=None) - timedelta(
                seconds=settings.PASSWORD_RESET_TIMEOUT + 60
            )

    token = Yesterday().make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    page = Client().get(f"/konto/passord/ny/{uid}/{token}/", follow=True).content.decode()
    assert "utløpt eller allerede brukt" in page and "Lagre nytt passord" not in page


# --- invitations ------------------------------------------------------------------------------


def test_an_administrator_invites_a_person_who_sets_a_password(
    org, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, link = accounts.invite(
            organisation=org("HOD"),
            email="Ny.Person@HOD.dep.no",
            role="reporter",
            invited_by=admin_user,
        )
    user = invitation.user
    assert not user.is_active and user.email == "ny.person@hod.dep.no"
    assert user.person.memberships.get().role == "reporter"
    assert mail.outbox[-1].to == ["ny.person@hod.dep.no"] and link in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="user_invited", actor=admin_user).exists()
    locked_out = Client().post(
        "/konto/logg-inn/", {"username": "ny.person@hod.dep.no", "password": PASSWORD}
    )
    assert "Feil brukernavn eller passord" in locked_out.content.decode()

    client = Client()
    path = urlsplit(link).path
    accepted = client.post(
        path,
        {"person-name": "Nora Ny", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert accepted["Location"] == "/" and signed_in(client)
    user.refresh_from_db()
    assert user.is_active and user.check_password(NEW_PASSWORD) and user.person.name == "Nora Ny"
    assert Client().get(path).status_code == 410


def test_an_invitation_refuses_a_weak_password(org, admin_user):
    invitation, link = accounts.invite(
        organisation=org("HOD"), email="svak@hod.dep.no", role="reader", invited_by=admin_user
    )
    answer = Client().post(
        urlsplit(link).path,
        {"person-name": "Svak", "new_password1": "kort", "new_password2": "kort"},
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and 'id="id_new_password2_error"' in page
    invitation.user.refresh_from_db()
    assert not invitation.user.is_active


def test_an_expired_invitation_is_refused(org, admin_user):
    invitation, link = accounts.invite(
        organisation=org("HOD"), email="sent@hod.dep.no", role="reader", invited_by=admin_user
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    page = Client().get(urlsplit(link).path)
    assert page.status_code == 410 and "utløpt, allerede brukt" in page.content.decode()
    with pytest.raises(ValidationError):
        accounts.accept_invitation_with_password(
            secret=link.rstrip("/").rsplit("/", 1)[-1], password=NEW_PASSWORD
        )


def test_a_new_invitation_replaces_the_open_one(org, admin_user):
    first, old_link = accounts.invite(
        organisation=org("HOD"), email="to@hod.dep.no", role="reader", invited_by=admin_user
    )
    second, new_link = accounts.invite(
        organisation=org("HOD"), email="to@hod.dep.no", role="reporter", invited_by=admin_user
    )
    assert first.user == second.user
    assert Client().get(urlsplit(old_link).path).status_code == 410
    assert Client().get(urlsplit(new_link).path).status_code == 200


def test_only_the_organisations_administrators_may_invite(org):
    reporter = make_user("rapportor", org("Bodø kommune"), role="reporter")
    other_admin = make_user("annen-admin", org("Tromsø kommune"), role="administrator")
    for outsider in (reporter, other_admin):
        with pytest.raises(PermissionDenied):
            accounts.invite(
                organisation=org("Bodø kommune"),
                email="x@bodo.no",
                role="reader",
                invited_by=outsider,
            )
    assert not User.objects.filter(username="x@bodo.no").exists()
    own_admin = make_user("bodo-admin", org("Bodø kommune"), role="administrator")
    invitation, _link = accounts.invite(
        organisation=org("Bodø kommune"), email="x@bodo.no", role="reader", invited_by=own_admin
    )
    assert invitation.organisation == org("Bodø kommune")


def test_an_existing_user_cannot_be_invited_again(org, admin_user):
    make_user("finnes@hod.dep.no", org("HOD"))
    with pytest.raises(ValidationError):
        accounts.invite(
            organisation=org("HOD"), email="finnes@hod.dep.no", role="reader", invited_by=admin_user
        )


# --- deactivation -----------------------------------------------------------------------------


def test_deactivation_ends_sessions_and_tokens_at_once(org, admin_user):
    leaver = make_user("slutter", org("HOD"))
    client = verified_client(leaver)
    headers = token_for(leaver)
    assert client.get("/").status_code == 200
    assert Client().get("/api/v1/municipalities/1804", **headers).status_code == 200

    result = accounts.deactivate_user(user=leaver, by=admin_user, reason="Sluttet 1. mars")

    assert result == {"sessions_ended": 1, "tokens_revoked": 1}
    assert client.get("/")["Location"].startswith("/konto/logg-inn/")
    assert Client().get("/api/v1/municipalities/1804", **headers).status_code == 401
    assert not ApiToken.objects.filter(user=leaver, revoked=False).exists()
    event = AuditEvent.objects.get(action="user_deactivated")
    assert event.actor == admin_user and event.after["reason"] == "Sluttet 1. mars"
    again = Client().post("/konto/logg-inn/", {"username": "slutter", "password": PASSWORD})
    assert "Feil brukernavn eller passord" in again.content.decode()


def test_deactivation_leaves_other_users_sessions_alone(org, admin_user):
    leaver, stayer = make_user("går", org("HOD")), make_user("blir", org("HOD"))
    stays = verified_client(stayer)
    accounts.deactivate_user(user=leaver, by=admin_user, reason="Sluttet")
    assert stays.get("/").status_code == 200


def test_deactivation_needs_a_reason_and_an_administrator(org, admin_user):
    leaver = make_user("uten-grunn", org("HOD"))
    with pytest.raises(ValidationError):
        accounts.deactivate_user(user=leaver, by=admin_user, reason=" ")
    with pytest.raises(PermissionDenied):
        accounts.deactivate_user(
            user=leaver,
            by=make_user("ikke-admin", org("Bodø kommune"), role="administrator"),
            reason="Sluttet",
        )
    with pytest.raises(PermissionDenied):
        accounts.deactivate_user(user=admin_user, by=admin_user, reason="Meg selv")
    leaver.refresh_from_db()
    assert leaver.is_active


# --- local login switch -----------------------------------------------------------------------


@override_settings(BEREDSKAP_LOCAL_LOGIN=False)
def test_local_passwords_can_be_switched_off(org):
    make_user("passord", org("Bodø kommune"))
    client = Client()
    page = client.get("/konto/logg-inn/").content.decode()
    assert 'name="password"' not in page and "Ingen innloggingsmåte er satt opp" in page
    client.post("/konto/logg-inn/", {"username": "passord", "password": PASSWORD})
    assert not signed_in(client)
    assert client.get("/konto/passord/glemt/").status_code == 404


def test_local_passwords_are_on_by_default(org):
    page = Client().get("/konto/logg-inn/").content.decode()
    assert 'name="password"' in page and "Glemt passordet?" in page
