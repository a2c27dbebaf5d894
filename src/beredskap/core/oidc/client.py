"""The relying party: authorisation code flow with PKCE, state and nonce, ID token validation.

OpenID Connect Core 1.0 §3.1 (code flow), RFC 7636 (PKCE), RFC 7523 (``private_key_jwt``,
required by HelseID), RFC 9207-style issuer checks and OpenID Connect RP-Initiated Logout 1.0.
Authlib builds the requests and client authentication; every check on what comes back is done
here, each with its own message, so a refused sign-in says why.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey

from beredskap.core.oidc.config import Provider

PENDING_SESSION_KEY = "oidc_pending"
LOGOUT_SESSION_KEY = "oidc_logout"
#: How long a started sign-in may wait for the provider's answer.
PENDING_SECONDS = 600
#: Clock skew allowed between the provider and us when checking exp/iat.
LEEWAY_SECONDS = 60
ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]

_metadata_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_jwks_cache: dict[str, tuple[float, dict[str, Any]]] = {}
CACHE_SECONDS = 3600


class SignInRefused(Exception):
    """A sign-in through a provider that must not go through; the message is for the person."""


@dataclass(frozen=True)
class VerifiedIdentity:
    provider: str
    subject: str
    claims: dict[str, Any]
    acr: str
    amr: list[str]
    strong: bool
    id_token: str
    name: str = ""
    email: str = ""


def clear_caches() -> None:
    _metadata_cache.clear()
    _jwks_cache.clear()


def _get_json(url: str, provider: Provider, what: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=provider.timeout_seconds)
        response.raise_for_status()
        value = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInRefused(
            _("Fikk ikke kontakt med %(name)s (%(what)s). Prøv igjen senere.")
            % {"name": provider.name, "what": what}
        ) from exc
    if not isinstance(value, dict):
        raise SignInRefused(_("%(name)s svarte med ugyldige data.") % {"name": provider.name})
    return value


def metadata(provider: Provider) -> dict[str, Any]:
    """The provider's discovery document (OpenID Connect Discovery 1.0), cached for an hour."""
    cached = _metadata_cache.get(provider.metadata_url)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    document = _get_json(provider.metadata_url, provider, "discovery")
    if document.get("issuer") != provider.issuer:
        raise SignInRefused(
            _("%(name)s oppgir en annen utsteder enn den som er konfigurert.")
            % {"name": provider.name}
        )
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(key), str):
            raise SignInRefused(
                _("%(name)s mangler %(key)s i discovery-dokumentet.")
                % {"name": provider.name, "key": key}
            )
    _metadata_cache[provider.metadata_url] = (time.monotonic() + CACHE_SECONDS, document)
    return document


def _key_set(provider: Provider, *, refresh: bool = False) -> KeySet:
    uri = metadata(provider)["jwks_uri"]
    cached = _jwks_cache.get(uri)
    if refresh or not cached or cached[0] <= time.monotonic():
        cached = (time.monotonic() + CACHE_SECONDS, _get_json(uri, provider, "JWKS"))
        _jwks_cache[uri] = cached
    try:
        return KeySet.import_key_set(cached[1])  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError) as exc:
        raise SignInRefused(
            _("%(name)s publiserer ugyldige nøkler.") % {"name": provider.name}
        ) from exc


def redirect_uri(provider: Provider) -> str:
    return settings.BEREDSKAP_BASE_URL + reverse("oidc:callback", args=[provider.slug])


def _session(provider: Provider, **kwargs: Any) -> OAuth2Session:
    if provider.client_auth == "private_key_jwt":
        key = _client_key(provider)
        session = OAuth2Session(
            provider.client_id,
            key,
            token_endpoint_auth_method="private_key_jwt",
            code_challenge_method="S256",
            **kwargs,
        )
        headers = (
            {"kid": provider.private_key_id or key.kid}
            if (provider.private_key_id or key.kid)
            else None
        )
        session.register_client_auth_method(
            PrivateKeyJWT(
                metadata(provider)["token_endpoint"], headers=headers, alg=provider.private_key_alg
            )
        )
        return session
    return OAuth2Session(
        provider.client_id,
        provider.client_secret or None,
        token_endpoint_auth_method=provider.client_auth,
        code_challenge_method="S256",
        **kwargs,
    )


def _client_key(provider: Provider) -> RSAKey | ECKey:
    raw = provider.private_key.strip()
    source: Any = json.loads(raw) if raw.startswith("{") else raw
    if provider.private_key_alg.startswith("ES"):
        return ECKey.import_key(source)
    return RSAKey.import_key(source)


def begin(request: HttpRequest, provider: Provider, *, next_url: str) -> str:
    """Start a sign-in: remember state, nonce and PKCE verifier; return the provider's URL."""
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    endpoint = metadata(provider)["authorization_endpoint"]
    params: dict[str, str] = {"nonce": nonce, **provider.extra_authorize_params}
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    oauth = _session(provider, scope=" ".join(provider.scopes), redirect_uri=redirect_uri(provider))
    url, _state = oauth.create_authorization_url(
        endpoint, state=state, code_verifier=verifier, **params
    )
    pending = {
        key: value
        for key, value in request.session.get(PENDING_SESSION_KEY, {}).items()
        if value.get("started", 0) > time.time() - PENDING_SECONDS
    }
    pending[state] = {
        "provider": provider.slug,
        "nonce": nonce,
        "verifier": verifier,
        "next": next_url,
        "started": time.time(),
    }
    request.session[PENDING_SESSION_KEY] = pending
    return url


def take_pending(request: HttpRequest, provider: Provider, state: str) -> dict[str, Any]:
    """The sign-in this answer belongs to, removed so the same state can never be used twice."""
    pending = dict(request.session.get(PENDING_SESSION_KEY, {}))
    entry = pending.pop(state, None) if state else None
    request.session[PENDING_SESSION_KEY] = pending
    if (
        entry is None
        or entry.get("provider") != provider.slug
        or entry.get("started", 0) < time.time() - PENDING_SECONDS
    ):
        raise SignInRefused(
            _(
                "Innloggingsforsøket er ukjent, utløpt eller allerede brukt. "
                "Start innloggingen på nytt."
            )
        )
    return entry


def complete(request: HttpRequest, provider: Provider) -> tuple[VerifiedIdentity, str]:
    """Finish a sign-in from the provider's redirect; return the identity and the next URL."""
    params = request.GET
    if params.get("error"):
        request.session.get(PENDING_SESSION_KEY, {}).pop(params.get("state", ""), None)
        description = params.get("error_description") or params["error"]
        raise SignInRefused(
            _("%(name)s avbrøt innloggingen: %(reason)s")
            % {"name": provider.name, "reason": description[:200]}
        )
    entry = take_pending(request, provider, params.get("state", ""))
    if params.get("iss") and params["iss"] != provider.issuer:  # RFC 9207 mix-up defence
        raise SignInRefused(_("Svaret kom fra en annen identitetsleverandør enn forventet."))
    code = params.get("code", "")
    if not code:
        raise SignInRefused(_("%(name)s sendte ingen autorisasjonskode.") % {"name": provider.name})
    token = _exchange(provider, code, entry["verifier"])
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise SignInRefused(_("%(name)s sendte ikke noe ID-token.") % {"name": provider.name})
    claims = validate_id_token(provider, id_token, nonce=entry["nonce"])
    return identity_from_claims(provider, claims, id_token), entry["next"]


def _exchange(provider: Provider, code: str, verifier: str) -> dict[str, Any]:
    oauth = _session(provider, redirect_uri=redirect_uri(provider))
    try:
        token = oauth.fetch_token(
            metadata(provider)["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=verifier,
            timeout=provider.timeout_seconds,
        )
    except Exception as exc:  # authlib raises OAuthError, requests raises its own
        raise SignInRefused(
            _("%(name)s godtok ikke innloggingen (tokenutveksling feilet).")
            % {"name": provider.name}
        ) from exc
    return dict(token)


def validate_id_token(provider: Provider, id_token: str, *, nonce: str) -> dict[str, Any]:
    """Signature by the provider's published key, then iss, aud/azp, exp, iat and nonce."""
    claims = _verified_claims(provider, id_token)
    now = time.time()
    if claims.get("iss") != provider.issuer:
        raise SignInRefused(
            _("ID-tokenet er utstedt av en annen enn %(name)s.") % {"name": provider.name}
        )
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if provider.client_id not in audiences or (
        len(audiences) > 1 and claims.get("azp") != provider.client_id
    ):
        raise SignInRefused(_("ID-tokenet er ikke utstedt til Beredskap (feil mottaker, «aud»)."))
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, (int, float)) or exp < now - LEEWAY_SECONDS:
        raise SignInRefused(
            _("ID-tokenet fra %(name)s er utløpt. Start innloggingen på nytt.")
            % {"name": provider.name}
        )
    if not isinstance(iat, (int, float)) or iat > now + LEEWAY_SECONDS:
        raise SignInRefused(_("ID-tokenet har et utstedelsestidspunkt i framtiden."))
    if not nonce or not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise SignInRefused(
            _(
                "ID-tokenet hører ikke til dette innloggingsforsøket (nonce stemmer ikke). "
                "Start innloggingen på nytt."
            )
        )
    return claims


def _verified_claims(provider: Provider, id_token: str) -> dict[str, Any]:
    refused = SignInRefused(
        _("ID-tokenet fra %(name)s har ugyldig signatur.") % {"name": provider.name}
    )
    for refresh in (False, True):  # a new signing key: fetch the key set once more
        try:
            return dict(
                jwt.decode(
                    id_token, _key_set(provider, refresh=refresh), ID_TOKEN_ALGORITHMS
                ).claims
            )
        except (JoseError, ValueError) as exc:
            refused.__cause__ = exc
    raise refused


def identity_from_claims(
    provider: Provider, claims: dict[str, Any], id_token: str
) -> VerifiedIdentity:
    subject = claims.get(provider.subject_claim)
    if not isinstance(subject, (str, int)) or not str(subject).strip():
        raise SignInRefused(
            _("%(name)s oppga ikke hvem du er (mangler «%(claim)s»).")
            % {"name": provider.name, "claim": provider.subject_claim}
        )
    acr = str(claims.get(provider.acr_claim) or "")
    raw_amr = claims.get(provider.amr_claim) or []
    amr = [str(v) for v in raw_amr] if isinstance(raw_amr, list) else str(raw_amr).split()
    strong = acr in provider.high_acr or bool(set(amr) & set(provider.second_factor_amr))
    return VerifiedIdentity(
        provider=provider.slug,
        subject=str(subject).strip(),
        claims=claims,
        acr=acr,
        amr=amr,
        strong=strong,
        id_token=id_token,
        name=str(claims.get(provider.name_claim) or "")[:200],
        email=str(claims.get(provider.email_claim) or "")[:254],
    )


def end_session_url(provider: Provider, *, id_token: str, after: str) -> str | None:
    """The provider's RP-initiated logout URL, if it publishes an end_session_endpoint."""
    if not provider.end_session:
        return None
    try:
        endpoint = metadata(provider).get("end_session_endpoint")
    except SignInRefused:
        return None
    if not isinstance(endpoint, str) or not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": after,
            "client_id": provider.client_id,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
