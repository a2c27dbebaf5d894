"""Integration with the real capacity app when it is present in this branch (CONTRACTS.md)."""

import pytest

from beredskap.operations import integrations
from tests.factories import verified_client

summary = pytest.importorskip("beredskap.capacity.summary")


def test_the_capacity_summary_is_used_and_the_picture_no_longer_says_unavailable(crisis, coordinator):
    lines, available = integrations.bed_picture(coordinator)
    assert available and isinstance(lines, list)
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/bilde/").content.decode()
    assert "kapasitetstall ikke tilgjengelig" not in page
    reserve, ok = integrations.reserve_availability(coordinator)
    assert ok and all("available" in r for r in reserve)
