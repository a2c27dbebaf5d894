"""`beredskap serve --oidc-demo` (what `make run` starts): the web server, a worker and the
demo OIDC provider, configured through the same provider setting as production."""

import io
import json
import os

from beredskap.core.management.commands.serve import Command


def test_serve_supervises_web_worker_and_demo_provider(db, settings, tmp_path, monkeypatch):
    settings.VAR_DIR = str(tmp_path)
    monkeypatch.delenv("BEREDSKAP_OIDC_PROVIDERS", raising=False)
    command = Command(stdout=io.StringIO())
    command.configure_oidc_demo(8011)
    config = tmp_path / "oidc-demo" / "providers.json"
    assert os.environ["BEREDSKAP_OIDC_PROVIDERS"] == str(config)
    providers = {p["slug"]: p for p in json.loads(config.read_text())}
    assert providers["helseid"]["client_auth"] == "private_key_jwt"
    assert providers["idporten"]["issuer"] == "http://127.0.0.1:8011/idporten"
    assert "HelseID (demo)" in command.stdout.getvalue()
    options = {"addrport": "127.0.0.1:8000", "workers": 1, "gunicorn": False, "no_reload": True}
    names = [c.name for c in command.children({**options, "oidc_demo": 8011})]
    assert names == ["web", "worker-1", "periodic", "oidc-demo"]
    assert [c.name for c in command.children({**options, "oidc_demo": None})] == [
        "web",
        "worker-1",
        "periodic",
    ]
    periodic = command.children({**options, "oidc_demo": None})[-1]
    assert periodic.argv[-3:] == ["escalate_notifications", "--every", "60"]
    assert [c.name for c in command.children({**options, "workers": 0, "oidc_demo": None})] == [
        "web"
    ]
