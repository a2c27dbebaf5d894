"""Identity providers configured for the installation (setting BEREDSKAP_OIDC_PROVIDERS).

Each provider is one JSON object; see README, "Configuration" and docs for HelseID/ID-porten.
No Django import here: settings.py validates the list at start-up and fails loudly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beredskap.envsettings import ConfigError

CLIENT_AUTH_METHODS = {"client_secret_basic", "client_secret_post", "private_key_jwt", "none"}
#: `amr` values (RFC 8176) that mean a second factor was used.
DEFAULT_SECOND_FACTOR_AMR = ["mfa", "otp", "hwk", "sms", "sc", "fpt"]
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    issuer: str
    client_id: str
    client_auth: str = "client_secret_basic"
    client_secret: str = ""
    private_key: str = ""
    private_key_id: str = ""
    private_key_alg: str = "RS256"
    discovery_url: str = ""
    scopes: tuple[str, ...] = ("openid", "profile")
    subject_claim: str = "sub"
    name_claim: str = "name"
    email_claim: str = "email"
    acr_claim: str = "acr"
    amr_claim: str = "amr"
    high_acr: tuple[str, ...] = ()
    second_factor_amr: tuple[str, ...] = tuple(DEFAULT_SECOND_FACTOR_AMR)
    acr_values: str = ""
    extra_authorize_params: dict[str, str] = field(default_factory=dict)
    end_session: bool = True
    timeout_seconds: int = 10

    @property
    def metadata_url(self) -> str:
        return self.discovery_url or (self.issuer.rstrip("/") + "/.well-known/openid-configuration")


def _text(item: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = item.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"{where}: '{key}' must be a string")
    if required and not value.strip():
        raise ConfigError(f"{where}: '{key}' is required")
    return value.strip()


def _strings(item: dict[str, Any], key: str, where: str, default: list[str]) -> tuple[str, ...]:
    value = item.get(key, default)
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _private_key(item: dict[str, Any], where: str) -> str:
    key = item.get("private_key", "")
    if isinstance(key, dict):
        return json.dumps(key)
    path = _text(item, "private_key_file", where)
    if path:
        if not Path(path).is_file():
            raise ConfigError(f"{where}: private_key_file {path!r} does not exist")
        return Path(path).read_text(encoding="utf-8")
    return _text(item, "private_key", where)


def parse_provider(item: dict[str, Any], index: int = 0) -> Provider:
    where = f"BEREDSKAP_OIDC_PROVIDERS[{index}]"
    slug = _text(item, "slug", where, required=True)
    if not _SLUG.match(slug):
        raise ConfigError(f"{where}: slug {slug!r} must be lower-case letters, digits and '-'")
    where = f"{where} ({slug})"
    client_auth = _text(item, "client_auth", where) or "client_secret_basic"
    if client_auth not in CLIENT_AUTH_METHODS:
        raise ConfigError(f"{where}: client_auth must be one of {sorted(CLIENT_AUTH_METHODS)}")
    private_key = _private_key(item, where)
    secret = _text(item, "client_secret", where)
    if client_auth == "private_key_jwt" and not private_key:
        raise ConfigError(f"{where}: private_key_jwt needs private_key or private_key_file")
    if client_auth.startswith("client_secret") and not secret:
        raise ConfigError(f"{where}: {client_auth} needs client_secret")
    scopes = _strings(item, "scopes", where, ["openid", "profile"])
    if "openid" not in scopes:
        raise ConfigError(f"{where}: scopes must include 'openid'")
    extra = item.get("extra_authorize_params", {})
    if not isinstance(extra, dict):
        raise ConfigError(f"{where}: extra_authorize_params must be an object")
    issuer = _text(item, "issuer", where, required=True)
    if not issuer.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ConfigError(f"{where}: issuer must be an https URL")
    return Provider(
        slug=slug,
        name=_text(item, "name", where) or slug,
        issuer=issuer,
        client_id=_text(item, "client_id", where, required=True),
        client_auth=client_auth,
        client_secret=secret,
        private_key=private_key,
        private_key_id=_text(item, "private_key_id", where),
        private_key_alg=_text(item, "private_key_alg", where) or "RS256",
        discovery_url=_text(item, "discovery_url", where),
        scopes=scopes,
        subject_claim=_text(item, "subject_claim", where) or "sub",
        name_claim=_text(item, "name_claim", where) or "name",
        email_claim=_text(item, "email_claim", where) or "email",
        acr_claim=_text(item, "acr_claim", where) or "acr",
        amr_claim=_text(item, "amr_claim", where) or "amr",
        high_acr=_strings(item, "high_acr", where, []),
        second_factor_amr=_strings(item, "second_factor_amr", where, DEFAULT_SECOND_FACTOR_AMR),
        acr_values=_text(item, "acr_values", where),
        extra_authorize_params={str(k): str(v) for k, v in extra.items()},
        end_session=bool(item.get("end_session", True)),
        timeout_seconds=int(item.get("timeout_seconds", 10)),
    )


def parse_providers(raw: list[dict[str, Any]]) -> list[Provider]:
    providers = [parse_provider(item, i) for i, item in enumerate(raw)]
    slugs = [p.slug for p in providers]
    if len(set(slugs)) != len(slugs):
        raise ConfigError("BEREDSKAP_OIDC_PROVIDERS: two providers share a slug")
    return providers


def providers() -> list[Provider]:
    """The configured providers, in the order the sign-in page shows them."""
    from django.conf import settings

    return parse_providers(getattr(settings, "BEREDSKAP_OIDC_PROVIDERS", []))


def provider(slug: str) -> Provider | None:
    return next((p for p in providers() if p.slug == slug), None)
