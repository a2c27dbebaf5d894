"""A real worker process, killed mid-job and started again: the job never stays «Pågår».

These tests run `beredskap worker` as subprocesses against a file-based SQLite database (the
suite's own test database is in memory, invisible to another process).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEASE = 5

pytestmark = pytest.mark.slow


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        BEREDSKAP_VAR_DIR=str(var_dir),
        BEREDSKAP_WORKER_LEASE_SECONDS=str(LEASE),
        BEREDSKAP_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        DJANGO_SETTINGS_MODULE="beredskap.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, made once per session and copied by each test."""
    var_dir = tmp_path_factory.mktemp("queue-template")
    _manage(_env(var_dir), "migrate", "--no-input", "-v0")
    return var_dir / "beredskap.sqlite3"


@pytest.fixture
def queue(tmp_path: Path, migrated_sqlite: Path) -> Iterator[dict[str, str]]:
    shutil.copy(migrated_sqlite, tmp_path / "beredskap.sqlite3")
    yield _env(tmp_path)


def _enqueue(env: dict[str, str], seconds: float) -> int:
    out = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "tests" / "core" / "workerctl.py"), str(seconds)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return int(out.stdout.strip().splitlines()[-1])


def _start_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "worker", "--no-startup-delay", "--interval=0.2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _job(env: dict[str, str], job_id: int) -> tuple[str, int, str]:
    db = sqlite3.connect(Path(env["BEREDSKAP_VAR_DIR"]) / "beredskap.sqlite3", timeout=30)
    try:
        row = db.execute(
            "SELECT status, progress, error_message FROM exercises_importjob WHERE id = ?",
            (job_id,),
        ).fetchone()
    finally:
        db.close()
    return row[0], row[1], row[2]


def _wait_for(env: dict[str, str], job_id: int, test, seconds: float) -> tuple[str, int, str]:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    state = _job(env, job_id)
    while not test(state) and time.monotonic() < deadline:
        time.sleep(0.25)
        state = _job(env, job_id)
    return state


def _stop(process: subprocess.Popen[str]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


def test_a_job_held_by_a_killed_worker_fails_with_a_clear_message_when_a_worker_starts_again(
    queue: dict[str, str],
) -> None:
    held = _enqueue(queue, 120)
    first = _start_worker(queue)
    try:
        state = _wait_for(queue, held, lambda s: s[0] == "running" and s[1] > 0, 240)
        assert state[0] == "running", state
    finally:
        first.kill()
        first.wait()
    short = _enqueue(queue, 0.5)
    killed_at = time.monotonic()
    second = _start_worker(queue)
    try:
        state = _wait_for(queue, held, lambda s: s[0] != "running", 240)
        assert state[0] == "failed"
        assert "stoppet uten å fullføre" in state[2]
        # Failed within the lease (plus the new worker's start-up), not left «Pågår».
        assert time.monotonic() - killed_at < 240
        assert _wait_for(queue, short, lambda s: s[0] == "done", 120)[0] == "done"
    finally:
        assert _stop(second) == 0


def test_a_worker_stopped_with_sigterm_finishes_its_job_and_removes_its_heartbeat(
    queue: dict[str, str],
) -> None:
    job = _enqueue(queue, 3)
    worker = _start_worker(queue)
    try:
        assert _wait_for(queue, job, lambda s: s[0] == "running", 240)[0] == "running"
    finally:
        code = _stop(worker)
    assert code == 0
    assert _job(queue, job)[0] == "done"
    db = sqlite3.connect(Path(queue["BEREDSKAP_VAR_DIR"]) / "beredskap.sqlite3")
    assert db.execute("SELECT count(*) FROM core_workerheartbeat").fetchone()[0] == 0
    db.close()
