"""Sign-in and security."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, make_user, verified_client


def test_passwords_are_hashed_with_argon2_outside_the_test_runner():
    assert "django.contrib.auth.hashers.Argon2PasswordHasher" in settings.PASSWORD_HASHERS
    assert identify_hasher(make_password("x", hasher="argon2")).algorithm == "argon2"


def test_login_is_locked_after_repeated_failures(org):
    make_user("kari", org("Bodø kommune"))
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = client.post("/konto/logg-inn/", {"username": "kari", "password": "feil"})
        assert "Feil brukernavn eller passord" in response.content.decode()
    locked = client.post("/konto/logg-inn/", {"username": "kari", "password": PASSWORD})
    assert "midlertidig sperret" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_cleared_user_must_complete_two_factor(org):
    user = make_user("gradert", org("HOD"), clearance=1)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    response = client.post("/konto/logg-inn/", {"username": "gradert", "password": PASSWORD})
    assert response["Location"].startswith("/konto/tofaktor/")
    assert client.get("/aktorer/moter/")["Location"].startswith("/konto/tofaktor/")
    client.post("/konto/tofaktor/", {"token": f"{totp(device.bin_key):06d}"})
    meetings = client.get("/aktorer/moter/")
    assert meetings.status_code == 200 and "<h1" in meetings.content.decode()
    assert (
        ">Møter</h1>" in meetings.content.decode()
        and "Engangskode" not in meetings.content.decode()
    )


def test_an_uncleared_user_needs_no_second_factor(org):
    make_user("apen", org("Bodø kommune"))
    client = Client()
    client.post("/konto/logg-inn/", {"username": "apen", "password": PASSWORD})
    page = client.get("/")
    assert page.status_code == 200 and "Min side" in page.content.decode()


def test_every_page_carries_a_strict_content_security_policy(org):
    response = verified_client(make_user("csp", org("FHI"))).get("/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy
        and "frame-ancestors 'none'" in policy
    )


def test_sessions_expire_and_production_cookies_are_secure():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    import importlib
    import os

    import beredskap.settings as mod

    os.environ.update({"BEREDSKAP_PRODUCTION": "1", "BEREDSKAP_SECRET_KEY": "x" * 50})
    try:
        prod = importlib.reload(mod)
        assert (
            prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE and prod.SECURE_HSTS_SECONDS > 0
        )
    finally:
        del os.environ["BEREDSKAP_PRODUCTION"], os.environ["BEREDSKAP_SECRET_KEY"]
        importlib.reload(mod)


@override_settings(LANGUAGE_CODE="nb")
def test_the_site_speaks_bokmal_by_default_and_english_on_request(org):
    client = verified_client(make_user("sprak", org("FHI")))
    page = client.get("/").content.decode()
    assert (
        '<html lang="nb"' in page
        and "Mine organisasjoner" in page
        and "My organisations" not in page
    )
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert (
        '<html lang="en"' in page
        and "My organisations" in page
        and "Mine organisasjoner" not in page
    )
    assert "Council and committees" in client.get("/aktorer/organer/").content.decode()


def test_a_wrong_code_is_refused(org):
    user = make_user("feilkode", org("HOD"), clearance=1)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.post("/konto/logg-inn/", {"username": "feilkode", "password": PASSWORD})
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    response = client.post("/konto/tofaktor/", {"token": wrong})
    assert "stemmer ikke" in response.content.decode()
    assert client.get("/aktorer/moter/").status_code == 302


def test_a_user_issues_and_revokes_an_api_token(org):
    user = make_user("maskinbruker", org("FHI"))
    client = verified_client(user)
    page = client.post("/konto/api-nokler/", {"name": "Rapportering"}).content.decode()
    import re

    secret = re.search(r'id="new-secret">([^<]+)<', page).group(1)
    assert (
        Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["username"]
        == "maskinbruker"
    )
    token_id = user.api_tokens.get().pk
    client.post("/konto/api-nokler/", {"revoke": token_id})
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert secret not in client.get("/konto/api-nokler/").content.decode()


@pytest.mark.parametrize(
    "method, path, kwargs",
    [
        ("get", "/api/v1/bodies", {"data": {"q": "a\x00b"}}),
        (
            "post",
            "/api/v1/organisations",
            {"data": '{"name": "x\\u0000y"}', "content_type": "application/json"},
        ),
        ("get", "/aktorer/organisasjoner/", {"data": {"q": "\x00"}}),
        ("post", "/aktorer/paminnelser/", {"data": {"acknowledge": "1\x00"}}),
    ],
)
def test_input_with_nul_characters_is_refused_with_400_not_500(org, method, path, kwargs):
    client = verified_client(make_user("nul", org("HOD"), role="administrator"))
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_file_upload_may_contain_nul_bytes(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(make_user("fil", org("HOD"), role="administrator"))
    upload = SimpleUploadedFile("x.xlsx", b"PK\x03\x04\x00\x00binary")
    response = client.post("/aktorer/paminnelser/", {"file": upload})
    assert response.status_code != 400
