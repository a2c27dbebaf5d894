"""Shared fixtures. Reference data is the real shipped data (municipalities, organisations and
bodies from the sourced files, not test fixtures), loaded once per test database; each test runs in
a transaction that is rolled back."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from tests.factories import make_user, seat

# The body records are shared with in persona tests: it has no member organisations, so only the
# seated body_member reaches a record through it.
SHARED_BODY = "ekspertutvalg-helsekriser"


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


# --- standing personas ------------------------------------------------------------------------
# Every permission question is asked of the same people: the owner, a member of a body the record
# is shared with, an outsider, the statsforvalter above the municipalities, and an auditor. All
# but the auditor are cleared to KONFIDENSIELT, so a refusal comes from need-to-know, not from
# clearance; lower the clearance in the test when clearance is the question.


@pytest.fixture
def owner_org(org):  # type: ignore[no-untyped-def]
    """The organisation that owns the records a persona test creates (Helsedirektoratet)."""
    return org("Hdir")


@pytest.fixture
def owner(db, owner_org):  # type: ignore[no-untyped-def]
    """A reporter of the owning organisation: may create and edit its records."""
    return make_user("persona-eier", owner_org, role="reporter", clearance=2)


@pytest.fixture
def shared_body(db):  # type: ignore[no-untyped-def]
    from beredskap.actors.models import Body

    return Body.objects.get(slug=SHARED_BODY)


@pytest.fixture
def body_member(db, org, shared_body):  # type: ignore[no-untyped-def]
    """A reader in another organisation, seated in `shared_body`: sees what is shared with it."""
    user = make_user("persona-organmedlem", org("Bergen kommune"), clearance=2)
    seat(user, shared_body)
    return user


@pytest.fixture
def outsider(db, org):  # type: ignore[no-untyped-def]
    """A reporter with clearance and no need to know: not in the owning organisation, its
    governance line or a body the record is shared with."""
    return make_user("persona-utenforstaende", org("Oslo kommune"), role="reporter", clearance=2)


@pytest.fixture
def statsforvalter(db, org):  # type: ignore[no-untyped-def]
    """An adviser at Statsforvalteren i Nordland: sees and follows up Nordland's municipalities
    (Meld. St. 5 (2023–2024) 2.3)."""
    return make_user(
        "persona-statsforvalter", org("Statsforvalteren i Nordland"), role="reporter", clearance=2
    )


@pytest.fixture
def auditor(db, org):  # type: ignore[no-untyped-def]
    """Helsetilsynet's auditor: reads the audit trail, never writes."""
    return make_user("persona-revisor", org("Helsetilsynet"), role="auditor", auditor=True)
