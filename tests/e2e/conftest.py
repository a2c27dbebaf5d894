"""Browser fixtures for the end-to-end suite (real Chromium via Playwright, Django live server).

Run on its own: ``BEREDSKAP_FAST_HASHER=1 .venv/bin/python -m pytest tests/e2e``.

Live-server tests need ``transactional_db``, which flushes the database after each test, so
the reference data loaded once per session by tests/conftest.py is gone from the second test
on: every test that needs it asks for the ``reference_data`` fixture, which reloads it
(the loaders are idempotent).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole session (never downloaded: Debian's build)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


JOURNAL_KEY = pytest.StashKey[list["NetworkJournal"]]()
JOURNAL_TAIL = 60


class NetworkJournal:
    """What a page asked for and got, with times, so that a timed-out step shows its cause.

    A few navigations have timed out in CI (a submitted form whose next page never
    loaded) and could not be reproduced alone; the journal tells a request the server never
    answered from a page whose load event never fired from a click that sent nothing.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.started = time.monotonic()
        self.pending: dict[int, str] = {}

    def attach(self, page: Any, name: str) -> None:
        page.on("request", lambda r: self._request(name, r))
        page.on("response", lambda r: self._log(name, f"<- {r.status} {r.request.method} {r.url}"))
        page.on("requestfinished", lambda r: self._done(name, r, "done"))
        page.on("requestfailed", lambda r: self._done(name, r, f"FAILED {r.failure}"))
        page.on(
            "framenavigated",
            lambda f: f == page.main_frame and self._log(name, f"navigated {f.url}"),
        )
        page.on("load", lambda _p: self._log(name, "load"))
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and self._log(name, f"console error {m.text} at {m.location.get('url')}")
            ),
        )
        page.on("pageerror", lambda e: self._log(name, f"page error {e}"))

    def _request(self, name: str, request: Any) -> None:
        self.pending[id(request)] = f"{request.method} {request.url}"
        self._log(name, f"-> {request.method} {request.url}")

    def _done(self, name: str, request: Any, what: str) -> None:
        self.pending.pop(id(request), None)
        self._log(name, f"{what} {request.method} {request.url}")

    def _log(self, name: str, text: str) -> None:
        self.lines.append(f"{time.monotonic() - self.started:8.2f}s {name} {text}")

    def report(self) -> str:
        unanswered = "\n".join(f"  {line}" for line in self.pending.values()) or "  (none)"
        return "\n".join(self.lines[-JOURNAL_TAIL:]) + f"\nstill pending:\n{unanswered}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    journals = item.stash.get(JOURNAL_KEY, None)
    if report.failed and journals:
        report.sections.append(
            ("network journal (last steps)", "\n\n".join(j.report() for j in journals))
        )
        report.sections.append(("database sessions at failure", _database_sessions()))


def _database_sessions() -> str:
    """On PostgreSQL: the other sessions that are not idle, and any lock they wait for."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return f"({connection.vendor}: not recorded)"
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, state, wait_event_type, wait_event, now() - xact_start, left(query, "
                "200) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = "
                "'client backend' AND datname = current_database() AND state <> 'idle'"
            )
            rows = cursor.fetchall()
    except Exception as exc:  # the report must not hide the test's own failure
        return f"(could not query pg_stat_activity: {exc})"
    return (
        "\n".join(" | ".join(str(value) for value in row) for row in rows)
        or "(no other active session)"
    )


@pytest.fixture
def new_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """Factory: a page in a fresh browser context (own cookies); closed after the test.

    Each page keeps a network journal that is added to the report of a failed test.
    """
    contexts: list[Any] = []
    journals: list[NetworkJournal] = []
    request.node.stash[JOURNAL_KEY] = journals

    def make(**context_options: Any) -> Any:
        context_options.setdefault("locale", "nb-NO")
        # No opening animation on details panels: a click lands on a settled page.
        context_options.setdefault("reduced_motion", "reduce")
        context = browser.new_context(**context_options)
        context.set_default_timeout(
            30_000
        )  # generous: a loaded 2-core CI machine is slow, not broken
        contexts.append(context)
        page = context.new_page()
        journal = NetworkJournal([])
        journal.attach(page, f"page{len(journals) + 1}")
        journals.append(journal)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """Geography and actors (real shipped data), reloaded because the live-server DB is flushed."""
    from beredskap.actors.reference import load_actors
    from beredskap.core.reference import load_geography

    load_geography()
    load_actors()


@pytest.fixture
def org(reference_data: None) -> Callable[[str], Any]:
    from beredskap.actors.models import Organisation

    return lambda name_or_short: (
        Organisation.objects.filter(short_name=name_or_short).first()
        or Organisation.objects.get(name=name_or_short)
    )
