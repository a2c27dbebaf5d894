"""A small OpenID Connect provider for the test suite and the demo, on loopback only.

It speaks the real protocol — discovery, JWKS, authorisation code with PKCE (S256 only),
client authentication by secret or ``private_key_jwt`` (RFC 7523, as HelseID requires), signed
ID tokens, RP-initiated logout — so the relying party in ``client.py`` is exercised over HTTP
exactly as against HelseID or ID-porten. Never expose it: it signs in whoever clicks.
Tests can bend the next ID token (``next_token_overrides``) to check that bad tokens are refused.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

CODE_SECONDS = 60
TOKEN_SECONDS = 300


@dataclass
class DevClient:
    client_id: str
    redirect_uris: list[str]
    secret: str = ""
    public_jwk: dict[str, Any] | None = None  # for private_key_jwt


@dataclass
class DevIssuer:
    """One issuer (e.g. /helseid) with its clients, people and signing key."""

    path: str
    name: str
    clients: dict[str, DevClient]
    identities: list[dict[str, Any]]
    base_url: str = ""
    key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(
            2048, parameters={"kid": secrets.token_hex(4), "use": "sig", "alg": "RS256"}
        )
    )
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    used_assertions: set[str] = field(default_factory=set)
    next_token_overrides: dict[str, Any] = field(default_factory=dict)
    logouts: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    publish_end_session: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def issuer(self) -> str:
        return self.base_url + self.path

    def metadata(self) -> dict[str, Any]:
        document = {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "private_key_jwt",
            ],
            "scopes_supported": ["openid", "profile", "email"],
        }
        if self.publish_end_session:
            document["end_session_endpoint"] = self.issuer + "/logout"
        return document

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    def identity(self, hint: str) -> dict[str, Any] | None:
        return next((i for i in self.identities if i["sub"] == hint), None)

    # --- endpoints -------------------------------------------------------------------------

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
        client = self.clients.get(query.get("client_id", ""))
        redirect_uri = query.get("redirect_uri", "")
        if client is None or redirect_uri not in client.redirect_uris:
            return 400, {}, "unknown client or redirect_uri"
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            return _redirect_error(redirect_uri, query, "unsupported_response_type")
        if not query.get("code_challenge") or "openid" not in query.get("scope", "").split():
            return _redirect_error(redirect_uri, query, "invalid_request")
        person = self.identity(query.get("login_hint", ""))
        if person is None:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, self._chooser(query)
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {
                "client_id": client.client_id,
                "redirect_uri": redirect_uri,
                "nonce": query.get("nonce", ""),
                "challenge": query["code_challenge"],
                "sub": person["sub"],
                "expires": time.time() + CODE_SECONDS,
            }
        answer = {"code": code, "state": query.get("state", ""), "iss": self.issuer}
        return 302, {"Location": f"{redirect_uri}?{urlencode(answer)}"}, ""

    def _chooser(self, query: dict[str, str]) -> str:
        rows = "".join(
            f'<li><a href="{html.escape(self.issuer)}/authorize?'
            f'{html.escape(urlencode({**query, "login_hint": i["sub"]}))}">'
            f"{html.escape(i.get('label') or i.get('name') or i['sub'])}</a></li>"
            for i in self.identities
        )
        return (
            f"<!doctype html><html lang='nb'><meta charset='utf-8'><title>{html.escape(self.name)}"
            f"</title><h1>{html.escape(self.name)} (demo)</h1><p>Velg hvem du vil logge inn "
            f"som:</p>"
            f"<ul>{rows}</ul></html>"
        )

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        client = self._authenticate_client(form, authorization)
        if client is None:
            return 401, {"error": "invalid_client"}
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)  # a code works once
            self.token_requests.append({"client_id": client.client_id})
        if (
            grant is None
            or grant["expires"] < time.time()
            or grant["client_id"] != client.client_id
            or grant["redirect_uri"] != form.get("redirect_uri")
        ):
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if not verifier or challenge != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        return 200, {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "id_token": self._id_token(client, grant),
        }

    def _id_token(self, client: DevClient, grant: dict[str, Any]) -> str:
        now = int(time.time())
        person = self.identity(grant["sub"]) or {"sub": grant["sub"]}
        claims = {key: value for key, value in person.items() if key not in {"label"}} | {
            "iss": self.issuer,
            "aud": client.client_id,
            "iat": now,
            "exp": now + TOKEN_SECONDS,
            "auth_time": now,
            "nonce": grant["nonce"],
        }
        with self.lock:
            overrides, self.next_token_overrides = self.next_token_overrides, {}
        key = self.key
        if overrides.pop("_foreign_key", False):
            key = RSAKey.generate_key(2048, parameters={"kid": str(self.key.kid), "alg": "RS256"})
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, key)

    def _authenticate_client(self, form: dict[str, str], authorization: str) -> DevClient | None:
        if (
            form.get("client_assertion_type")
            == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            return self._assertion_client(form.get("client_assertion", ""))
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if authorization.startswith("Basic "):
            from urllib.parse import unquote

            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = decoded.partition(":")
            client_id, secret = unquote(client_id), unquote(secret)
        client = self.clients.get(client_id)
        if client is None or not client.secret or not secrets.compare_digest(client.secret, secret):
            return None
        return client

    def _assertion_client(self, assertion: str) -> DevClient | None:
        try:
            unverified = json.loads(
                base64.urlsafe_b64decode(assertion.split(".")[1] + "==").decode()
            )
            client = self.clients.get(str(unverified.get("iss", "")))
            if client is None or client.public_jwk is None:
                return None
            keys = KeySet.import_key_set({"keys": [client.public_jwk]})
            claims = jwt.decode(assertion, keys).claims
        except (JoseError, ValueError, IndexError, KeyError):
            return None
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if (
            claims.get("sub") != client.client_id
            or not ({self.issuer + "/token", self.issuer} & set(audiences))
            or claims.get("exp", 0) < time.time()
            or claims.get("jti") in self.used_assertions
        ):
            return None
        self.used_assertions.add(str(claims.get("jti")))
        return client

    def logout(self, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
        self.logouts.append(query)
        target = query.get("post_logout_redirect_uri", "")
        if target:
            return 302, {"Location": target}, ""
        return 200, {"Content-Type": "text/html; charset=utf-8"}, "<p>Du er logget ut.</p>"


def _redirect_error(uri: str, query: dict[str, str], error: str) -> tuple[int, dict[str, str], str]:
    answer = urlencode({"error": error, "state": query.get("state", "")})
    return 302, {"Location": f"{uri}?{answer}"}, ""


class DevOIDCServer:
    """Several issuers on one loopback port, served from a background thread."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        if host not in {"127.0.0.1", "localhost", "::1"}:
            raise ValueError("the development provider listens on loopback only")
        self.issuers: dict[str, DevIssuer] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def do_GET(self) -> None:  # noqa: N802
                server._handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                server._handle(self, "POST")

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.base_url = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread: threading.Thread | None = None

    def add_issuer(
        self,
        path: str,
        *,
        name: str,
        clients: list[DevClient],
        identities: list[dict[str, Any]],
    ) -> DevIssuer:
        issuer = DevIssuer(
            path="/" + path.strip("/"),
            name=name,
            clients={c.client_id: c for c in clients},
            identities=identities,
            base_url=self.base_url,
        )
        self.issuers[issuer.path] = issuer
        return issuer

    def start(self) -> DevOIDCServer:
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(request.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        issuer = next((i for p, i in self.issuers.items() if parts.path.startswith(p + "/")), None)
        endpoint = parts.path[len(issuer.path) :] if issuer else ""
        status, headers, body = 404, {"Content-Type": "text/plain"}, "not found"
        if issuer and method == "GET" and endpoint == "/.well-known/openid-configuration":
            status, headers, body = 200, _json_headers(), json.dumps(issuer.metadata())
        elif issuer and method == "GET" and endpoint == "/jwks":
            status, headers, body = 200, _json_headers(), json.dumps(issuer.jwks())
        elif issuer and method == "GET" and endpoint == "/authorize":
            status, headers, body = issuer.authorize(query)
        elif issuer and method == "GET" and endpoint == "/logout":
            status, headers, body = issuer.logout(query)
        elif issuer and method == "POST" and endpoint == "/token":
            length = int(request.headers.get("Content-Length") or 0)
            form = {k: v[-1] for k, v in parse_qs(request.rfile.read(length).decode()).items()}
            code, answer = issuer.token(form, request.headers.get("Authorization", ""))
            status, headers, body = code, _json_headers(), json.dumps(answer)
        payload = body.encode()
        request.send_response(status)
        for name, value in headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(payload)))
        request.send_header("Cache-Control", "no-store")
        request.end_headers()
        request.wfile.write(payload)


def _json_headers() -> dict[str, str]:
    return {"Content-Type": "application/json"}
