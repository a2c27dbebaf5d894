"""`beredskap worker`: the background worker to run under a supervisor (systemd, `beredskap serve`).

Takes the same options as django-tasks-db's `db_worker` and adds a heartbeat, the lease sweep
that fails jobs of workers that died, and reconnects with backoff when the database goes away
(see :mod:`beredskap.core.worker`). Use this, not `db_worker`: a plain `db_worker` writes no
heartbeat, so a long task it runs would be taken for lost after the lease.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from beredskap.core.worker import ResilientWorker, new_worker_id


class Command(DbWorkerCommand):
    help = "Run a background worker with heartbeat, lease sweep and database reconnects"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None, reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker_id = options["worker_id"]
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id or new_worker_id(),
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.serve()
