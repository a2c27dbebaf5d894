"""Run a local OpenID Connect provider with two demo identities, for trying single sign-on.

HelseID-like (``/helseid``, client authentication with ``private_key_jwt``, a health worker at
level high) and ID-porten-like (``/idporten``, client secret, a citizen at level substantial).
Loopback only; never for production.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from joserfc.jwk import RSAKey

from beredskap.core.oidc.devprovider import DevClient, DevOIDCServer

HEALTH_WORKER = {
    "sub": "demo-helse-9144900",
    "label": "Sverre Sykehus – lege, Nordlandssykehuset (HPR 9144900, nivå høyt)",
    "name": "Sverre Sykehus",
    "hpr_number": "9144900",
    "acr": "idporten-loa-high",
    "amr": ["BankID"],
}
CITIZEN = {
    "sub": "demo-innbygger-01017012345",
    "label": "Kari Kommune – innbygger (MinID, nivå betydelig)",
    "name": "Kari Kommune",
    "pid": "01017012345",
    "acr": "idporten-loa-substantial",
    "amr": ["MinID-PIN"],
}
#: Demo users (from `beredskap demo`) the identities sign in as.
BINDINGS = [("helseid", "9144900", "sykehus"), ("idporten", "01017012345", "kommune")]
SECRET = "demo-idporten-secret"  # noqa: S105 - a local demo provider's client secret


def demo_dir() -> Path:
    path = Path(settings.VAR_DIR) / "oidc-demo"
    path.mkdir(parents=True, exist_ok=True)
    return path


def client_key() -> RSAKey:
    """The demo client's private key, kept between runs so the written settings stay valid."""
    path = demo_dir() / "helseid-client-key.json"
    if path.exists():
        return RSAKey.import_key(json.loads(path.read_text()))
    key = RSAKey.generate_key(2048, parameters={"kid": "beredskap-demo", "alg": "RS256"})
    path.write_text(json.dumps(key.as_dict(private=True)))
    path.chmod(0o600)
    return key


def provider_settings(base_url: str) -> list[dict[str, Any]]:
    return [
        {
            "slug": "helseid",
            "name": "HelseID (demo)",
            "issuer": f"{base_url}/helseid",
            "client_id": "beredskap-demo",
            "client_auth": "private_key_jwt",
            "private_key_file": str(demo_dir() / "helseid-client-key.json"),
            "scopes": ["openid", "profile"],
            "subject_claim": "hpr_number",
            "high_acr": ["idporten-loa-high"],
        },
        {
            "slug": "idporten",
            "name": "ID-porten (demo)",
            "issuer": f"{base_url}/idporten",
            "client_id": "beredskap-demo",
            "client_secret": SECRET,
            "subject_claim": "pid",
            "high_acr": ["idporten-loa-high"],
        },
    ]


class Command(BaseCommand):
    help = "Start a local OIDC provider (HelseID- and ID-porten-like) with two demo identities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument(
            "--config-only",
            action="store_true",
            help="write var/oidc-demo/providers.json and bind the demo users, then exit",
        )

    def handle(self, *args: Any, port: int, config_only: bool, **options: Any) -> None:
        base_url = f"http://127.0.0.1:{port}"
        key = client_key()
        config_path = demo_dir() / "providers.json"
        config_path.write_text(json.dumps(provider_settings(base_url), indent=2))
        self._bind_demo_users()
        self.stdout.write(
            f"Demo-innlogging (OIDC): start Beredskap med "
            f"BEREDSKAP_OIDC_PROVIDERS={config_path}\n"
            f"  HelseID (demo): {HEALTH_WORKER['label']}\n"
            f"  ID-porten (demo): {CITIZEN['label']}"
        )
        if config_only:
            return
        server = DevOIDCServer(port=port)
        callback = settings.BEREDSKAP_BASE_URL + "/konto/oidc/{}/tilbake/"
        server.add_issuer(
            "helseid",
            name="HelseID (demo)",
            clients=[
                DevClient(
                    "beredskap-demo",
                    [callback.format("helseid")],
                    public_jwk=key.as_dict(private=False),
                )
            ],
            identities=[HEALTH_WORKER],
        )
        server.add_issuer(
            "idporten",
            name="ID-porten (demo)",
            clients=[DevClient("beredskap-demo", [callback.format("idporten")], secret=SECRET)],
            identities=[CITIZEN],
        )
        server.start()
        self.stdout.write(f"OIDC-demoleverandør lytter på {base_url} (Ctrl-C avslutter)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.stop()

    def _bind_demo_users(self) -> None:
        from django.db import DatabaseError

        from beredskap.core.accountmodels import ExternalIdentity
        from beredskap.core.models import User

        try:
            for provider, subject, username in BINDINGS:
                user = User.objects.filter(username=username).first()
                if user is None:
                    self.stdout.write(f"  (demobrukeren {username} finnes ikke – kjør demo først)")
                    continue
                ExternalIdentity.objects.get_or_create(
                    provider=provider, subject=subject, defaults={"user": user}
                )
        except DatabaseError:
            self.stdout.write("  (databasen er ikke klar – demo-identitetene er ikke koblet)")
