"""Browser fixtures for the end-to-end suite (real Chromium via Playwright, Django live server).

Run on its own: ``BEREDSKAP_FAST_HASHER=1 .venv/bin/python -m pytest tests/e2e``.

Live-server tests need ``transactional_db``, which flushes the database after each test, so
the reference data loaded once per session by tests/conftest.py is gone from the second test
on: every test that needs it asks for the ``reference_data`` fixture, which reloads it
(the loaders are idempotent).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Factory: a page in a fresh browser context (own cookies); closed after the test."""
    contexts: list[Any] = []

    def make(**context_options: Any) -> Any:
        context_options.setdefault("locale", "nb-NO")
        context = browser.new_context(**context_options)
        context.set_default_timeout(30_000)  # generous: a loaded 2-core CI machine is slow, not broken
        contexts.append(context)
        return context.new_page()

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
