"""`beredskap backup` and `beredskap restore`: data put back exactly, row for row.

Run as subprocesses against a database of their own: a file-based SQLite always, and the
PostgreSQL server of DATABASE_URL (a scratch database on it) when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

COUNTS = """
import json, django; django.setup()
from beredskap.core.backup import table_counts
print(json.dumps(table_counts()))
"""
WIPE = """
import django; django.setup()
from beredskap.actors.models import Organisation, Person
from beredskap.core.models import User
User.objects.filter(username__startswith="backup-").delete()
Person.objects.all().delete()
print(Organisation.objects.count())
"""
ADD = """
import django; django.setup()
from beredskap.core.models import User
for i in range(3):
    User.objects.create_user(f"backup-{i}", password="x" * 14)
"""


def _env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        BEREDSKAP_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="beredskap.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _py(env: dict[str, str], code: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def _round_trip(env: dict[str, str], var_dir: Path) -> tuple[str, str]:
    """Back up, wipe, restore; the row counts before the backup and after the restore."""
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "loadreference")
    _py(env, ADD)
    (var_dir / "keys").mkdir(exist_ok=True)
    (var_dir / "keys" / "signing.pem").write_text("not a real key\n")
    before = _py(env, COUNTS)
    archive = Path(_manage(env, "backup", "--dir", str(var_dir / "backup")).splitlines()[-1])
    assert archive.is_file()
    _py(env, WIPE)
    (var_dir / "keys" / "signing.pem").unlink()
    assert _py(env, COUNTS) != before  # the wipe changed something the restore must put back
    out = _manage(env, "restore", str(archive), "--yes")
    assert "Restored" in out
    assert (var_dir / "keys" / "signing.pem").read_text() == "not a real key\n"
    return before, _py(env, COUNTS)


def test_backup_and_restore_put_a_sqlite_installation_back_row_for_row(tmp_path: Path) -> None:
    before, restored = _round_trip(_env(tmp_path, None), tmp_path)
    assert restored == before


def test_restore_refuses_without_confirmation(tmp_path: Path) -> None:
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "restore", str(tmp_path / "x.tar.gz")],
        env=_env(tmp_path, None),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "--yes" in done.stderr


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs the PostgreSQL server of DATABASE_URL",
)
def test_backup_and_restore_put_a_postgresql_installation_back_row_for_row(
    tmp_path: Path,
) -> None:
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"beredskap_backup_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        before, restored = _round_trip(_env(tmp_path, f"{base}/{name}"), tmp_path)
        assert restored == before
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
