"""Fixtures: an indicator, FHI's and two municipalities' reporters (cleared for BEGRENSET), an
uncleared reader, and a helper that loads weekly counts through the service."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.factories import make_user


@pytest.fixture
def indicator(db):  # type: ignore[no-untyped-def]
    from beredskap.surveillance.models import Indicator

    return Indicator.objects.create(key="ili", name="Influensaliknende sykdom", years_back=1)


@pytest.fixture
def fhi_user(org):  # type: ignore[no-untyped-def]
    return make_user("fhi", org("FHI"), role="reporter", clearance=1)


@pytest.fixture
def bodo_user(org):  # type: ignore[no-untyped-def]
    return make_user("bodo", org("Bodø kommune"), role="reporter", clearance=1)


@pytest.fixture
def oslo_user(org):  # type: ignore[no-untyped-def]
    return make_user("oslo", org("Oslo kommune"), role="reporter", clearance=1)


@pytest.fixture
def uncleared(org):  # type: ignore[no-untyped-def]
    return make_user("ugradert", org("Bodø kommune"), role="reporter", clearance=0)


WEEK0 = dt.date(2023, 1, 2)  # a Monday (ISO 2023-W01)


def weeks(n: int) -> list[dt.date]:
    return [WEEK0 + dt.timedelta(days=7 * i) for i in range(n)]


def seasonal_counts(n: int, seed: int = 1, mean: float = 20.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.poisson(mean * (1 + 0.3 * np.sin(2 * np.pi * np.arange(n) / 52)))


@pytest.fixture
def load_counts(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Store counts for municipalities through the service and run the queued detection."""
    from beredskap.surveillance import services

    def load(by, indicator, per_code: dict[str, list[int]]):  # type: ignore[no-untyped-def]
        rows = [
            {"area_code": code, "period": w.isoformat(), "value": int(v)}
            for code, values in per_code.items()
            for w, v in zip(weeks(len(values)), values, strict=True)
        ]
        with django_capture_on_commit_callbacks(execute=True):
            return services.record_observations(
                by=by, indicator=indicator, rows=rows, source="test"
            )

    return load


@pytest.fixture
def coordinator_crisis(org):  # type: ignore[no-untyped-def]
    """A crisis owned by HOD, shared with FHI (which links signals to it)."""
    from beredskap.core.grants import grant_access
    from beredskap.core.models import County
    from beredskap.operations.services.crises import declare_crisis

    coordinator = make_user("koordinator", org("HOD"), role="secretariat", clearance=1)
    crisis = declare_crisis(
        by=coordinator,
        name="Influensautbrudd i Nordland",
        risk_area="infection",
        crisis_type="Utbrudd",
        owner_org=org("HOD"),
        lead_ministry=org("HOD"),
        counties=[County.objects.get(number="18")],
    )
    grant_access(by=coordinator, record=crisis, reason="Overvåking", organisations=[org("FHI")])
    return coordinator, crisis
