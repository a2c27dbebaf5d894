"""A real OpenID Connect provider on loopback for the sign-in tests, and a browser-like walk
through its authorisation endpoint."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from joserfc.jwk import RSAKey

from beredskap.core.oidc.devprovider import DevClient, DevOIDCServer

HEALTH_WORKER = {
    "sub": "hpr-9144900",
    "label": "Helle Helsearbeider (HPR 9144900)",
    "name": "Helle Helsearbeider",
    "hpr_number": "9144900",
    "acr": "idporten-loa-high",
    "amr": ["pwd"],
}
LOW_LEVEL_WORKER = {
    "sub": "hpr-1000001",
    "name": "Lavt Nivå",
    "hpr_number": "1000001",
    "acr": "idporten-loa-substantial",
    "amr": ["pwd"],
}
CITIZEN = {
    "sub": "pid-01017012345",
    "name": "Ine Innbygger",
    "pid": "01017012345",
    "email": "ine@example.no",
    "acr": "idporten-loa-substantial",
    "amr": ["MinID-PIN"],
}
MFA_CITIZEN = {**CITIZEN, "sub": "pid-02027012345", "pid": "02027012345", "amr": ["pwd", "otp"]}


def start_provider(
    base_url: str = "http://127.0.0.1:8000",
) -> tuple[DevOIDCServer, dict[str, Any], list[dict[str, Any]]]:
    """HelseID-like (private_key_jwt, subject = HPR number) and ID-porten-like (client secret),
    both redirecting back to Beredskap at ``base_url``."""
    redirect = base_url + "/konto/oidc/{slug}/tilbake/"
    server = DevOIDCServer()
    client_key = RSAKey.generate_key(2048, parameters={"kid": "beredskap-test", "alg": "RS256"})
    helseid = server.add_issuer(
        "helseid",
        name="HelseID (test)",
        clients=[
            DevClient(
                "beredskap",
                [redirect.format(slug="helseid")],
                public_jwk=client_key.as_dict(private=False),
            )
        ],
        identities=[HEALTH_WORKER, LOW_LEVEL_WORKER],
    )
    idporten = server.add_issuer(
        "idporten",
        name="ID-porten (test)",
        clients=[DevClient("beredskap", [redirect.format(slug="idporten")], secret="s3cret")],
        identities=[CITIZEN, MFA_CITIZEN],
    )
    idporten.publish_end_session = False
    server.start()
    settings = [
        {
            "slug": "helseid",
            "name": "HelseID",
            "issuer": helseid.issuer,
            "client_id": "beredskap",
            "client_auth": "private_key_jwt",
            "private_key": client_key.as_dict(private=True),
            "scopes": ["openid", "profile", "helseid://scopes/identity/hpr_number"],
            "subject_claim": "hpr_number",
            "high_acr": ["idporten-loa-high"],
        },
        {
            "slug": "idporten",
            "name": "ID-porten",
            "issuer": idporten.issuer,
            "client_id": "beredskap",
            "client_secret": "s3cret",
            "subject_claim": "pid",
            "high_acr": ["idporten-loa-high"],
        },
    ]
    return server, {"helseid": helseid, "idporten": idporten}, settings


def authorize(client: Any, slug: str, sub: str, *, next_url: str = "/") -> str:
    """Start at Beredskap, pick `sub` at the provider; return the callback path+query."""
    start = client.get(f"/konto/oidc/{slug}/start/", {"next": next_url})
    assert start.status_code == 302, start.content
    answer = requests.get(start["Location"] + f"&login_hint={sub}", allow_redirects=False)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    return f"{callback.path}?{callback.query}"


def sign_in(client: Any, slug: str, sub: str, *, next_url: str = "/") -> Any:
    return client.get(authorize(client, slug, sub, next_url=next_url))
