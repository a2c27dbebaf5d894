"""Fixtures for modelling: small, fast runs (few members, short horizons)."""

from __future__ import annotations

import pytest

from tests.factories import make_user

SMALL = {
    "r0": 2.5,
    "days": 60,
    "members": 8,
    "seed": 3,
    "seed_municipality": "0301",
    "seed_exposed": 200,
    "seed_infectious": 200,
    "capacity_source": "default",
}


@pytest.fixture
def analyst(db, org):  # type: ignore[no-untyped-def]
    """A reporter at FHI cleared for BEGRENSET (writes runs owned by FHI)."""
    return make_user("analytiker", org("FHI"), role="reporter", clearance=1)


@pytest.fixture
def colleague(db, org):  # type: ignore[no-untyped-def]
    return make_user("kollega", org("FHI"), role="reader")


@pytest.fixture
def outsider(db, org):  # type: ignore[no-untyped-def]
    return make_user("utenforstaende", org("Bodø kommune"), role="reporter")


@pytest.fixture
def make_run(analyst, org):  # type: ignore[no-untyped-def]
    from beredskap.modelling import services

    def make(title="Pandemi – test", by=None, owner=None, **overrides):  # type: ignore[no-untyped-def]
        params = {**SMALL, **overrides.pop("parameters", {})}
        return services.create_run(
            by=by or analyst,
            owner_org=owner or org("FHI"),
            title=title,
            parameters=params,
            **overrides,
        )

    return make
