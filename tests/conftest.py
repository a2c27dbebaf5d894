"""Shared fixtures. Reference data is the real shipped data (municipalities, organisations and
bodies from the sourced files, not test fixtures), loaded once per test database; each test runs in
a transaction that is rolled back."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from tests.factories import make_user


def pytest_configure() -> None:
    django_settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from beredskap.actors.reference import load_actors
    from beredskap.core.reference import load_geography

    with django_db_blocker.unblock():
        load_geography()
        load_actors()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):  # type: ignore[no-untyped-def]
    """A transactional test ends by flushing every table: put the reference data back for the
    tests that follow it in this process."""
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not marker.kwargs.get("transaction"):
        return
    from pytest_django.plugin import blocking_manager_key

    from beredskap.actors.reference import load_actors
    from beredskap.core.reference import load_geography

    with item.config.stash[blocking_manager_key].unblock():
        load_geography()
        load_actors()


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    from beredskap.actors.models import Organisation

    return lambda name_or_short: (
        Organisation.objects.filter(short_name=name_or_short).first()
        or Organisation.objects.get(name=name_or_short)
    )


@pytest.fixture
def admin_user(db, org):  # type: ignore[no-untyped-def]
    return make_user("admin", org("HOD"), role="administrator")


@pytest.fixture
def secretariat_user(db, org):  # type: ignore[no-untyped-def]
    return make_user("sekretariat", org("HOD"), role="secretariat")
