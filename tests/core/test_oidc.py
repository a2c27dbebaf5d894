"""Single sign-on against a real OpenID Connect provider on loopback (HelseID/ID-porten-like)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client, override_settings

from beredskap.core.accountmodels import ExternalIdentity
from beredskap.core.models import AuditEvent, User
from beredskap.core.oidc import client as oidc_client
from beredskap.core.twofactor import session_is_verified
from tests.core.oidc_helpers import (
    CITIZEN,
    HEALTH_WORKER,
    LOW_LEVEL_WORKER,
    MFA_CITIZEN,
    authorize,
    sign_in,
    start_provider,
)
from tests.factories import make_user


@pytest.fixture(scope="module")
def provider():  # type: ignore[no-untyped-def]
    server, issuers, providers = start_provider()
    with override_settings(BEREDSKAP_OIDC_PROVIDERS=providers):
        yield issuers
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_caches(provider):  # type: ignore[no-untyped-def]
    oidc_client.clear_caches()
    for issuer in provider.values():
        issuer.next_token_overrides = {}
    yield


def bind(user, provider: str, subject: str) -> None:  # type: ignore[no-untyped-def]
    ExternalIdentity.objects.create(user=user, provider=provider, subject=subject)


def signed_in_user(client: Client):  # type: ignore[no-untyped-def]
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_sign_in_page_offers_a_button_per_configured_provider(provider, db):
    page = Client().get("/konto/logg-inn/").content.decode()
    assert "Logg inn med HelseID" in page and "Logg inn med ID-porten" in page
    assert 'href="/konto/oidc/helseid/start/' in page
    assert "Logg inn med Entra" not in page


def test_start_uses_discovery_and_sends_pkce_state_and_nonce(provider, db):
    start = Client().get("/konto/oidc/helseid/start/")
    location = urlsplit(start["Location"])
    query = parse_qs(location.query)
    assert start["Location"].startswith(provider["helseid"].issuer + "/authorize?")
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0] and query["state"] != query["nonce"]
    assert query["redirect_uri"] == ["http://127.0.0.1:8000/konto/oidc/helseid/tilbake/"]
    assert "code_verifier" not in query


def test_a_bound_health_worker_signs_in_with_private_key_jwt(provider, org):
    user = make_user("helle", org("Nordlandssykehuset HF"))
    bind(user, "helseid", "9144900")
    client = Client()
    answer = sign_in(client, "helseid", HEALTH_WORKER["sub"], next_url="/aktorer/moter/")
    assert answer.status_code == 302 and answer["Location"] == "/aktorer/moter/"
    assert signed_in_user(client) == user
    login = AuditEvent.objects.filter(action="login", actor=user).latest("id")
    assert login.after["provider"] == "helseid" and login.after["acr"] == "idporten-loa-high"
    assert ExternalIdentity.objects.get(user=user).last_login_at is not None


def test_an_unknown_identity_is_refused_with_a_clear_message(provider, db):
    client = Client()
    answer = sign_in(client, "idporten", CITIZEN["sub"])
    assert answer.status_code == 403
    assert "ikke registrert som bruker av Beredskap" in answer.content.decode()
    assert signed_in_user(client) is None
    assert AuditEvent.objects.filter(action="login_refused").exists()


def test_an_identity_is_never_matched_by_email_alone(provider, org):
    make_user("ine", org("Bodø kommune")).__class__.objects.filter(username="ine").update(
        email=CITIZEN["email"]
    )
    client = Client()
    answer = sign_in(client, "idporten", CITIZEN["sub"])
    assert answer.status_code == 403 and signed_in_user(client) is None


def test_a_deactivated_users_identity_is_refused(provider, org):
    user = make_user("borte", org("Bodø kommune"))
    bind(user, "idporten", CITIZEN["pid"])
    User.objects.filter(pk=user.pk).update(is_active=False)
    client = Client()
    answer = sign_in(client, "idporten", CITIZEN["sub"])
    assert "Kontoen din er deaktivert" in answer.content.decode()
    assert signed_in_user(client) is None


def test_a_token_for_another_audience_is_refused(provider, org):
    bind(make_user("aud", org("Bodø kommune")), "idporten", CITIZEN["pid"])
    provider["idporten"].next_token_overrides = {"aud": "some-other-client"}
    client = Client()
    answer = sign_in(client, "idporten", CITIZEN["sub"])
    assert answer.status_code == 403
    assert "ikke utstedt til Beredskap (feil mottaker" in answer.content.decode()
    assert signed_in_user(client) is None


def test_an_expired_token_is_refused(provider, org):
    bind(make_user("exp", org("Bodø kommune")), "idporten", CITIZEN["pid"])
    provider["idporten"].next_token_overrides = {"exp": 1_000_000_000, "iat": 999_999_000}
    client = Client()
    answer = sign_in(client, "idporten", CITIZEN["sub"])
    assert "ID-tokenet fra ID-porten er utløpt" in answer.content.decode()
    assert signed_in_user(client) is None


def test_a_token_signed_with_a_foreign_key_is_refused(provider, org):
    bind(make_user("sig", org("Bodø kommune")), "idporten", CITIZEN["pid"])
    provider["idporten"].next_token_overrides = {"_foreign_key": True}
    client = Client()
    answer = sign_in(client, "idporten", CITIZEN["sub"])
    assert "ugyldig signatur" in answer.content.decode() and signed_in_user(client) is None


def test_a_token_from_another_issuer_is_refused(provider, org):
    bind(make_user("iss", org("Bodø kommune")), "idporten", CITIZEN["pid"])
    provider["idporten"].next_token_overrides = {"iss": "https://evil.example"}
    client = Client()
    answer = sign_in(client, "idporten", CITIZEN["sub"])
    assert "utstedt av en annen enn ID-porten" in answer.content.decode()


def test_a_replayed_state_is_refused(provider, org):
    user = make_user("replay", org("Bodø kommune"))
    bind(user, "idporten", CITIZEN["pid"])
    client = Client()
    callback = authorize(client, "idporten", CITIZEN["sub"])
    assert client.get(callback).status_code == 302
    client.post("/konto/logg-ut/")
    again = client.get(callback)
    assert again.status_code == 403
    assert "ukjent, utløpt eller allerede brukt" in again.content.decode()
    assert signed_in_user(client) is None


def test_a_callback_from_another_browser_is_refused(provider, org):
    bind(make_user("csrf", org("Bodø kommune")), "idporten", CITIZEN["pid"])
    callback = authorize(Client(), "idporten", CITIZEN["sub"])
    victim = Client()
    answer = victim.get(callback)
    assert "allerede brukt" in answer.content.decode() and signed_in_user(victim) is None


def test_a_replayed_nonce_is_refused(provider, org):
    bind(make_user("nonce", org("Bodø kommune")), "idporten", CITIZEN["pid"])
    first = Client()
    old_nonce = parse_qs(urlsplit(first.get("/konto/oidc/idporten/start/")["Location"]).query)[
        "nonce"
    ][0]
    provider["idporten"].next_token_overrides = {"nonce": old_nonce}
    client = Client()
    answer = sign_in(client, "idporten", CITIZEN["sub"])
    assert "nonce stemmer ikke" in answer.content.decode() and signed_in_user(client) is None


def test_the_provider_refusing_is_shown_and_nothing_is_signed_in(provider, db):
    client = Client()
    start = client.get("/konto/oidc/idporten/start/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    answer = client.get(
        "/konto/oidc/idporten/tilbake/",
        {"error": "access_denied", "error_description": "Brukeren avbrøt", "state": state},
    )
    assert (
        answer.status_code == 403
        and "avbrøt innloggingen: Brukeren avbrøt" in answer.content.decode()
    )


def test_a_high_authentication_level_satisfies_the_two_factor_rule(provider, org):
    user = make_user("gradert-helse", org("Nordlandssykehuset HF"), clearance=1)
    bind(user, "helseid", "9144900")
    client = Client()
    answer = sign_in(client, "helseid", HEALTH_WORKER["sub"], next_url="/aktorer/moter/")
    assert answer["Location"] == "/aktorer/moter/"
    meetings = client.get("/aktorer/moter/")
    assert meetings.status_code == 200 and ">Møter</h1>" in meetings.content.decode()
    assert client.get("/api/v1/municipalities/1804").status_code == 200


def test_a_second_factor_in_amr_satisfies_the_two_factor_rule(provider, org):
    user = make_user("gradert-mfa", org("Bodø kommune"), clearance=1)
    bind(user, "idporten", MFA_CITIZEN["pid"])
    client = Client()
    answer = sign_in(client, "idporten", MFA_CITIZEN["sub"], next_url="/aktorer/moter/")
    assert answer["Location"] == "/aktorer/moter/"
    assert client.get("/aktorer/moter/").status_code == 200


def test_a_lower_authentication_level_still_requires_the_platforms_totp(provider, org):
    user = make_user("gradert-lav", org("Nordlandssykehuset HF"), clearance=1)
    bind(user, "helseid", "1000001")
    client = Client()
    answer = sign_in(client, "helseid", LOW_LEVEL_WORKER["sub"], next_url="/aktorer/moter/")
    assert answer["Location"].startswith("/konto/tofaktor/")
    assert client.get("/aktorer/moter/")["Location"].startswith("/konto/tofaktor/")
    assert client.get("/api/v1/municipalities/1804").status_code == 401


def test_session_is_verified_answers_for_the_identity_provider_and_not_for_others(provider, org):
    from django.test import RequestFactory

    user = make_user("spør", org("Nordlandssykehuset HF"), clearance=1)
    bind(user, "helseid", "9144900")
    client = Client()
    sign_in(client, "helseid", HEALTH_WORKER["sub"])
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    assert session_is_verified(request) is True
    request.user = make_user("annen", org("Bodø kommune"), clearance=1)
    assert session_is_verified(request) is False


def test_logout_ends_the_session_and_the_providers_session(provider, org):
    user = make_user("utlogg", org("Nordlandssykehuset HF"))
    bind(user, "helseid", "9144900")
    client = Client()
    sign_in(client, "helseid", HEALTH_WORKER["sub"])
    answer = client.post("/konto/logg-ut/")
    assert signed_in_user(client) is None
    end = urlsplit(answer["Location"])
    assert answer["Location"].startswith(provider["helseid"].issuer + "/logout?")
    query = parse_qs(end.query)
    assert query["post_logout_redirect_uri"] == ["http://127.0.0.1:8000/konto/logg-inn/"]
    assert query["id_token_hint"][0].count(".") == 2
    back = requests.get(answer["Location"], allow_redirects=False)
    assert back.headers["Location"] == "http://127.0.0.1:8000/konto/logg-inn/"
    assert provider["helseid"].logouts[-1]["id_token_hint"] == query["id_token_hint"][0]


def test_logout_without_end_session_endpoint_stays_local(provider, org):
    bind(make_user("lokal-ut", org("Bodø kommune")), "idporten", CITIZEN["pid"])
    client = Client()
    sign_in(client, "idporten", CITIZEN["sub"])
    answer = client.post("/konto/logg-ut/")
    assert answer["Location"] == "/konto/logg-inn/" and signed_in_user(client) is None


def test_an_invited_person_binds_her_identity_on_first_sign_in(provider, org, admin_user):
    from beredskap.core import accounts

    invitation, link = accounts.invite(
        organisation=org("HOD"), email="ny@hod.dep.no", role="reporter", invited_by=admin_user
    )
    client = Client()
    path = urlsplit(link).path
    page = client.get(path).content.decode()
    assert "Bruk HelseID" in page and "Bruk ID-porten" in page
    start = client.post(path, {"provider": "helseid"})
    assert start["Location"] == "/konto/oidc/helseid/start/"
    answer = sign_in(client, "helseid", HEALTH_WORKER["sub"])
    assert answer.status_code == 302
    user = signed_in_user(client)
    assert user == invitation.user and user.is_active
    assert ExternalIdentity.objects.get(provider="helseid").subject == "9144900"
    assert user.person.name == "Helle Helsearbeider"
    assert client.get(path).status_code == 410


def test_an_unknown_provider_is_not_found(provider, db):
    assert Client().get("/konto/oidc/entra/start/").status_code == 404


def test_forms_may_lead_to_the_configured_providers_and_nowhere_else(provider, db):
    policy = Client().get("/konto/logg-inn/")["Content-Security-Policy"]
    form_action = next(p for p in policy.split("; ") if p.startswith("form-action"))
    origin = provider["helseid"].issuer.split("/helseid")[0]
    assert form_action == f"form-action 'self' {origin}"
