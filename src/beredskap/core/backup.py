"""Backup and restore of an installation: the database and the files under the var directory.

One archive (``beredskap-<time>.tar.gz``) holds ``manifest.json`` (engine, time, row count
per table), the database — a PostgreSQL custom-format dump made with the server's own
``pg_dump`` major version, or a consistent copy of SQLite made with SQLite's online backup
API while the site runs — and ``files.tar`` with the var directory's files (keys, uploads),
without the database file itself, caches and earlier backups. ``restore`` puts all three
back and checks the row counts against the manifest. Operator's guide, "Backup and restore".
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

EXCLUDED_PREFIXES = ("numba-", "backup", "cache")
EXCLUDED_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal")


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def table_counts() -> dict[str, int]:
    """Rows per table of every installed model (the manifest's check on restore)."""
    from django.apps import apps

    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in existing and table not in counts:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - model table names
                counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_bin(program: str) -> str:
    """The client program matching the server's major version (pg_dump refuses a newer server)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{program}")]
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"), reverse=True)
    for path in candidates:
        if path.exists():
            return str(path)
    found = shutil.which(program)
    if not found:
        raise BackupError(f"{program} for PostgreSQL {major} was not found")
    return found


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["-h", str(db.get("HOST") or "localhost"), "-U", str(db.get("USER") or "postgres")]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    return args + ["-d", str(db["NAME"])], env


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(target: Path) -> str:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        _run([_pg_bin("pg_dump"), "-Fc", "--no-owner", "-f", str(target), *args], env)
        return "postgresql"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return "sqlite"
    raise BackupError(f"unsupported database {connection.vendor}")


def _skip(relative: Path) -> bool:
    first = relative.parts[0]
    return first.startswith(EXCLUDED_PREFIXES) or relative.name.endswith(EXCLUDED_SUFFIXES)


def _pack_files(var_dir: Path, backup_dir: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in sorted(var_dir.rglob("*")):
            relative = path.relative_to(var_dir)
            if path.is_file() and not _skip(relative) and backup_dir not in path.parents:
                tar.add(path, arcname=str(relative))
    return buffer.getvalue()


def make_backup(directory: Path | None = None) -> Path:
    """Write one archive and return its path."""
    directory = Path(directory or settings.BEREDSKAP_BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    archive = directory / f"beredskap-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        db_file = Path(tmp) / "database"
        engine = _dump_database(db_file)
        manifest = {
            "format": 1,
            "engine": engine,
            "created_at": stamp,
            "tables": table_counts(),
        }
        files = _pack_files(Path(settings.VAR_DIR), directory)
        with tarfile.open(archive, "w:gz") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
            tar.add(db_file, arcname="database")
            _add_bytes(tar, "files.tar", files)
    archive.chmod(0o600)
    return archive


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("the archive has no manifest.json")
        return dict(json.loads(member.read()))


def _restore_database(db_file: Path, engine: str) -> None:
    if engine != connection.vendor:
        raise BackupError(
            f"the backup is from {engine}, this installation uses {connection.vendor}"
        )
    if engine == "postgresql":
        args, env = _pg_env()
        connections.close_all()
        _run(
            [
                _pg_bin("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(db_file),
            ],
            env,
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def restore_backup(archive: Path) -> dict[str, Any]:
    """Replace the database and var files with the archive's; returns the manifest. Raises
    BackupError when the restored row counts differ from those recorded at backup."""
    manifest = read_manifest(archive)
    var_dir = Path(settings.VAR_DIR)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, filter="data")
        _restore_database(Path(tmp) / "database", manifest["engine"])
        with tarfile.open(Path(tmp) / "files.tar") as files:
            files.extractall(var_dir, filter="data")
    restored = table_counts()
    differing = {
        t: (n, restored.get(t)) for t, n in manifest["tables"].items() if restored.get(t) != n
    }
    if differing:
        raise BackupError(f"row counts differ after restore: {differing}")
    return manifest
