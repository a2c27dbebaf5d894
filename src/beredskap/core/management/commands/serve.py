"""`beredskap serve`: the web server and the background worker together, stopped together.

`make run` uses it so that imports, reports and simulations do not wait «I kø» for ever on a
development machine (`make run` runs everything the site needs). It starts
the web server (`runserver`, or gunicorn with `--gunicorn`), `--workers` background workers
(`beredskap worker`) and, with them, the minute job (`escalate_notifications --every 60`:
delivery retries, escalation, unanswered mobilisation requests) as child processes, restarts a
worker that exits (with backoff), and on Ctrl-C or SIGTERM stops them all. Production
installations run the same programs as separate systemd units and a timer instead (operator's
guide, "Workers" and "Periodic jobs").
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

MANAGE = Path(settings.PROJECT_DIR) / "manage.py"
STOP_GRACE_SECONDS = 10.0
MAX_RESTART_DELAY = 30.0


@dataclass
class Child:
    """A supervised program: its command line, process and restart bookkeeping."""

    name: str
    argv: list[str]
    restart: bool
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        # Its own process group, so that stopping reaches runserver's reloaded child as well.
        self.process = subprocess.Popen(self.argv, start_new_session=True)  # noqa: S603
        self.started_at = time.monotonic()

    def signal(self, signum: int) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()


class Command(BaseCommand):
    help = "Run the web server and background worker(s); Ctrl-C stops all of them"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=1, help="background workers (>= 0)")
        parser.add_argument(
            "--gunicorn", action="store_true", help="serve with gunicorn instead of runserver"
        )
        parser.add_argument(
            "--no-reload", action="store_true", help="runserver without the autoreloader"
        )
        parser.add_argument(
            "--oidc-demo",
            type=int,
            nargs="?",
            const=8001,
            default=None,
            metavar="PORT",
            help="also run the local demo OIDC provider (HelseID-/ID-porten-like) on PORT",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("oidc_demo"):
            self.configure_oidc_demo(options["oidc_demo"])
        children = self.children(options)
        self.stopping = False
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        for child in children:
            child.start()
        self.stdout.write(
            f"Webtjener på http://{options['addrport']}/ og {options['workers']} "
            "bakgrunnsarbeider(e) startet. Ctrl-C stopper alle."
        )
        try:
            self.supervise(children)
        finally:
            self.stop_all(children)

    def children(self, options: dict[str, Any]) -> list[Child]:
        python = [sys.executable, str(MANAGE)]
        if options["gunicorn"]:
            web = [sys.executable, "-m", "gunicorn", "beredskap.wsgi", "-b", options["addrport"]]
        else:
            web = [*python, "runserver", options["addrport"]]
            if options["no_reload"]:
                web.append("--noreload")
        result = [Child("web", web, restart=False)]
        for number in range(max(0, options["workers"])):
            result.append(Child(f"worker-{number + 1}", [*python, "worker"], restart=True))
        if options["workers"] > 0:
            # The minute job production runs from a systemd timer (operator's guide, section 6).
            periodic = [*python, "escalate_notifications", "--every", "60"]
            result.append(Child("periodic", periodic, restart=True))
        if options.get("oidc_demo"):
            argv = [*python, "oidc_demo_provider", "--port", str(options["oidc_demo"])]
            result.append(Child("oidc-demo", argv, restart=True))
        return result

    def configure_oidc_demo(self, port: int) -> None:
        """Write the demo providers' settings (the same BEREDSKAP_OIDC_PROVIDERS a production
        installation uses), bind the demo users and print the demo logins; the web server
        inherits the setting through its environment."""
        from django.core.management import call_command

        call_command("oidc_demo_provider", "--port", str(port), "--config-only", stdout=self.stdout)
        config = Path(settings.VAR_DIR) / "oidc-demo" / "providers.json"
        os.environ["BEREDSKAP_OIDC_PROVIDERS"] = str(config)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def supervise(self, children: list[Child]) -> None:
        while not self.stopping:
            for child in children:
                code = child.exited()
                if code is None:
                    continue
                if not child.restart:
                    self.stderr.write(f"{child.name} stoppet (kode {code}); stopper alle.")
                    return
                self.restart_later(child, code)
            time.sleep(0.2)

    def restart_later(self, child: Child, code: int) -> None:
        now = time.monotonic()
        if child.next_start == 0.0:
            if now - child.started_at > MAX_RESTART_DELAY:
                child.restarts = 0  # it ran a good while: a fresh failure, not a crash loop
            delay = min(MAX_RESTART_DELAY, 2.0**child.restarts)
            child.next_start = now + delay
            self.stderr.write(
                f"{child.name} stoppet (kode {code}); starter igjen om {delay:.0f} s."
            )
        elif now >= child.next_start:
            child.restarts += 1
            child.next_start = 0.0
            child.start()

    def stop_all(self, children: list[Child]) -> None:
        running = [c for c in children if c.process and c.process.poll() is None]
        for child in running:
            child.signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.signal(signal.SIGKILL)
                child.process.wait()
        self.stdout.write("Webtjener og bakgrunnsarbeidere er stoppet.")
