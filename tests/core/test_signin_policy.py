"""Sign-in policy: lockout per user and address, password rules, no-store, closed API docs,
and no development key outside debug."""

import importlib
import os
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from beredskap.core.models import LoginAttempt
from beredskap.envsettings import ConfigError
from tests.factories import PASSWORD, make_user, token_for, verified_client

ATTACKER, HOME = "10.0.0.66", "10.0.0.7"


def _login(client: Client, username: str, password: str, ip: str) -> str:
    data = {"username": username, "password": password}
    return client.post("/konto/logg-inn/", data, REMOTE_ADDR=ip).content.decode()


def test_failures_from_an_attackers_address_do_not_lock_out_the_user_elsewhere(org):
    make_user("kari", org("Bodø kommune"))
    attacker = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert "Feil brukernavn" in _login(attacker, "kari", "gjett", ATTACKER)
    assert "midlertidig sperret" in _login(attacker, "kari", PASSWORD, ATTACKER)
    assert "_auth_user_id" not in attacker.session
    kari = Client()
    _login(kari, "kari", PASSWORD, HOME)
    assert kari.session["_auth_user_id"]


def test_each_failure_past_the_limit_doubles_the_wait(org):
    from beredskap.core.security import locked_until

    make_user("per", org("Bodø kommune"))
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "per", "gjett", ATTACKER)
    first = locked_until("per", ATTACKER)
    assert first is not None
    wait = first - LoginAttempt.objects.order_by("-at").first().at
    assert wait == timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    # The lock runs out; the next failure locks for twice as long.
    past = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    LoginAttempt.objects.update(at=past)
    assert locked_until("per", ATTACKER) is None
    _login(client, "per", "gjett", ATTACKER)
    second = locked_until("per", ATTACKER)
    last = LoginAttempt.objects.order_by("-at").first().at
    assert second - last == timedelta(minutes=2 * settings.LOGIN_LOCKOUT_MINUTES)


def test_failed_django_admin_logins_count_towards_the_same_lockout(org):
    user = make_user("stab", org("HOD"))
    user.is_staff = True
    user.save()
    admin = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        admin.post(
            "/admin/login/?next=/admin/",
            {"username": "stab", "password": "gjett", "next": "/admin/"},
            REMOTE_ADDR=ATTACKER,
        )
    assert LoginAttempt.objects.filter(username="stab", ip=ATTACKER).count() == 5
    refused = admin.post(
        "/admin/login/?next=/admin/",
        {"username": "stab", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR=ATTACKER,
    )
    assert refused.status_code == 200 and "_auth_user_id" not in admin.session
    assert "midlertidig sperret" in _login(Client(), "stab", PASSWORD, ATTACKER)


def test_a_successful_sign_in_clears_only_the_failures_from_its_own_address(org):
    make_user("lise", org("Bodø kommune"))
    _login(Client(), "lise", "gjett", ATTACKER)
    _login(Client(), "lise", PASSWORD, HOME)
    assert list(LoginAttempt.objects.values_list("ip", flat=True)) == [ATTACKER]


@pytest.mark.parametrize(
    "password",
    [
        "kort-Pass1!",
        "password1234",
        "qwertyuiop123",
        "bodo-kommune-vinter-2025",
        "Tromsø!!vinter99",
    ],
)
def test_weak_passwords_are_refused(org, password):
    user = make_user("tromso", org("Tromsø kommune"))
    if password == "bodo-kommune-vinter-2025":
        user = make_user("bodo-kommune", org("Bodø kommune"))
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_password_with_the_organisation_name_is_refused(org):
    user = make_user("anne", org("FHI"))
    with pytest.raises(ValidationError, match="navnet på organisasjonen"):
        validate_password("Folkehelseinstituttet-2025", user)
    with pytest.raises(ValidationError, match="navnet på organisasjonen"):
        validate_password("fhi-er-best-i-test", user)
    validate_password("lilla-elefant-danser-tango", user)


def test_the_password_page_refuses_a_weak_password_and_keeps_the_old(org):
    user = make_user("endrer", org("FHI"))
    client = verified_client(user)
    page = client.post(
        "/konto/passord/",
        {
            "old_password": PASSWORD,
            "new_password1": "endrer-2025-x",
            "new_password2": "endrer-2025-x",
        },
    ).content.decode()
    assert "Passordet kan ikke inneholde brukernavnet" in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    strong = "lilla-elefant-danser-tango"
    done = client.post(
        "/konto/passord/",
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
    )
    user.refresh_from_db()
    assert done.status_code == 302 and user.check_password(strong)


def test_pages_and_api_answers_are_not_stored_by_caches(org):
    user = make_user("cache", org("FHI"))
    page = verified_client(user).get("/")
    api = Client().get("/api/v1/me", **token_for(user))
    anonymous_api = Client().get("/api/v1/me")
    for response in (page, api, anonymous_api):
        assert "no-store" in response["Cache-Control"]
    assert page.status_code == 200 and api.status_code == 200


def test_static_files_may_be_cached():
    response = Client().get("/static/risk/risk.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_api_schema_and_docs_need_sign_in(org):
    anonymous = Client()
    schema = anonymous.get("/api/v1/openapi.json")
    assert schema.status_code == 401 and schema.json()["code"] == "unauthenticated"
    assert "paths" not in schema.json()
    assert anonymous.get("/api/v1/docs").status_code == 401
    user = make_user("utvikler", org("FHI"))
    assert "paths" in Client().get("/api/v1/openapi.json", **token_for(user)).json()
    assert verified_client(user).get("/api/v1/docs").status_code == 200


def _reload_settings(**env: str):  # type: ignore[no-untyped-def]
    import beredskap.settings as mod

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        loaded = importlib.reload(mod)
        return SimpleNamespace(**{k: getattr(loaded, k) for k in dir(loaded) if k.isupper()})
    finally:
        for key, value in saved.items():
            if value is None:
                del os.environ[key]
            else:
                os.environ[key] = value
        importlib.reload(mod)


def test_the_development_key_is_refused_outside_debug_and_in_production():
    dev = "dev-only-not-secret-beredskap"
    with pytest.raises(ConfigError, match="development key"):
        _reload_settings(BEREDSKAP_SECRET_KEY=dev, BEREDSKAP_DEBUG="0")
    with pytest.raises(ConfigError, match="production"):
        _reload_settings(BEREDSKAP_SECRET_KEY=dev, BEREDSKAP_PRODUCTION="1")
    debug = _reload_settings(BEREDSKAP_SECRET_KEY=dev, BEREDSKAP_DEBUG="1")
    key = debug.SECRET_KEY
    assert key == dev


def test_an_unset_key_outside_debug_is_random_so_feed_links_cannot_be_forged():
    from django.core import signing

    os.environ.pop("BEREDSKAP_SECRET_KEY", None)
    assert settings.SECRET_KEY != "dev-only-not-secret-beredskap" or settings.DEBUG
    loaded = _reload_settings(BEREDSKAP_DEBUG="0")
    assert loaded.SECRET_KEY != "dev-only-not-secret-beredskap" and len(loaded.SECRET_KEY) >= 50
    forged = signing.dumps({"u": 1, "p": 1, "k": "x"}, key="dev-only-not-secret-beredskap")
    with pytest.raises(signing.BadSignature):
        signing.loads(forged)
