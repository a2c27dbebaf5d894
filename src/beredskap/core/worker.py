"""The background worker that keeps running: heartbeat, lease sweep and database reconnects.

django-tasks-db's worker claims one queued task at a time and runs it. Around it this adds what
an installation needs to leave it alone for months (operator's guide, "Workers"):

* a heartbeat thread with its own database connection, writing ``WorkerHeartbeat`` every few
  seconds and sweeping jobs whose worker stopped (:mod:`beredskap.core.leases`);
* a database that goes away (restart, failover, network) makes the worker wait and reconnect
  with backoff instead of exiting; the task it was running when the connection broke is given
  up under a new worker id, so the sweep fails it after the lease like any lost task.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time

from django.db import InterfaceError, OperationalError, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from beredskap.core import leases

logger = logging.getLogger("beredskap.worker")

# Only a lost or refused connection is waited out. A programming or integrity error is a bug in
# the task code, not an outage: retrying it for ever would hide it behind a busy loop.
DATABASE_ERRORS = (OperationalError, InterfaceError)
MAX_BACKOFF_SECONDS = 30.0
STABLE_SECONDS = 60.0


def new_worker_id() -> str:
    host = socket.gethostname().split(".")[0][:30]
    return f"{host}-{os.getpid()}-{get_random_string(8)}"


class Heartbeat(threading.Thread):
    """Beats and sweeps on its own connection until stopped; survives database outages."""

    def __init__(self, worker: ResilientWorker) -> None:
        super().__init__(name="beredskap-heartbeat", daemon=True)
        self.worker = worker
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = leases.heartbeat_interval()
        while not self.stopped.is_set():
            self.tick()
            self.stopped.wait(interval)
        connections.close_all()

    def tick(self) -> None:
        try:
            leases.beat(self.worker.worker_id, hostname=socket.gethostname(), pid=os.getpid())
            outcome = leases.sweep(alive=self.worker.worker_id)
            if outcome.tasks_failed or outcome.jobs_failed:
                logger.warning("lease sweep: %s task(s), %s job(s) failed", *vars(outcome).values())
        except DATABASE_ERRORS as exc:
            logger.warning("heartbeat: database unavailable (%s)", exc)
            connections.close_all()


class ResilientWorker(Worker):
    """django-tasks-db's worker with a heartbeat, and a reconnect loop around its main loop."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.base_worker_id = self.worker_id
        self.reconnects = 0

    def _register(self) -> None:
        """The first beat is written before any task is claimed, so no claim is ever unowned."""
        leases.beat(self.worker_id, hostname=socket.gethostname(), pid=os.getpid())

    def serve(self) -> None:
        """Run until stopped by a signal (or --batch / --max-tasks), reconnecting on DB loss."""
        heartbeat = Heartbeat(self)
        backoff = 1.0
        started = False
        try:
            while self.running:
                began = time.monotonic()
                try:
                    self._register()
                    if not started:
                        heartbeat.start()
                        started = True
                    self.run()
                    return
                except DATABASE_ERRORS as exc:
                    if time.monotonic() - began > STABLE_SECONDS:
                        backoff = 1.0  # it worked a good while: a new outage, not the same one
                    self._lost_database(exc, backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        finally:
            heartbeat.stopped.set()
            self._unregister()

    def _lost_database(self, exc: Exception, backoff: float) -> None:
        logger.error(
            "worker %s: database unavailable (%s); trying again in %.0f s",
            self.worker_id,
            exc,
            backoff,
        )
        self.running_task = False
        for conn in connections.all(initialized_only=True):
            with contextlib.suppress(*DATABASE_ERRORS):
                conn.close()
        # A task held when the connection broke may or may not have been recorded as failed;
        # a fresh id lets the lease sweep fail it once the old id's heartbeat is stale.
        self.reconnects += 1
        self.worker_id = f"{self.base_worker_id[:56]}-r{self.reconnects}"
        time.sleep(backoff)

    def _unregister(self) -> None:
        from beredskap.core.workermodels import WorkerHeartbeat

        with contextlib.suppress(*DATABASE_ERRORS):
            WorkerHeartbeat.objects.filter(pk=self.worker_id).delete()
