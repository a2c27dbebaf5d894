"""The access sweep: every protected model's records (each classification, exempt or not, several
owners, shared and granted, each with a unique marker) requested through every URL pattern and
API route as every persona of the access rule; a marker may appear only where the oracle —
computed from the data, not from `visible_to` — says the persona may see the record, and on a
record's detail endpoint it must appear for everyone allowed (a leak is the
worst bug this system can have; walking the resolver covers a new page without editing a test).

The normal suite runs a seeded sample (every endpoint at least once); `make test-sweep`
(BEREDSKAP_SWEEP=full) runs every endpoint for every record and persona.
"""

from __future__ import annotations

import logging
import os

import pytest
from django.db import transaction

from tests.sweep.runner import models_without_detail, run_sweep
from tests.sweep.world import build_world

FULL = os.environ.get("BEREDSKAP_SWEEP", "") == "full"
SEED = int(os.environ.get("BEREDSKAP_SWEEP_SEED", "16"))

pytestmark = [pytest.mark.sweep, pytest.mark.django_db]


@pytest.fixture(scope="module")
def sweep(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Build the world and run the sweep once for the module, inside a transaction that is
    rolled back afterwards so no other test sees the sweep's records."""
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 4xx/5xx are counted
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(SEED)
            result = run_sweep(world, full=FULL, seed=SEED)
            print("\n" + result.report())
            yield world, result
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_every_protected_and_child_model_got_marked_records(sweep):
    world, _ = sweep
    assert world.builder.failures == []
    labels = {r.label for r in world.records if r.parent is None}
    from tests.sweep.builder import protected_models

    assert labels == {m._meta.label for m in protected_models()}


def test_no_marker_reaches_a_persona_the_rule_keeps_out(sweep):
    _, result = sweep
    assert result.leaks == [], "\n".join(leak.line() for leak in result.leaks[:50])


def test_anonymous_requests_carry_no_marker(sweep):
    _, result = sweep
    assert result.anonymous_markers == 0


def test_detail_endpoints_show_the_record_to_everyone_allowed(sweep):
    _, result = sweep
    assert result.misses == []
    assert result.positive_checks > 0


def test_every_protected_model_has_a_detail_endpoint_that_shows_it(sweep):
    _, result = sweep
    assert models_without_detail(result) == []


def test_the_sweep_requests_every_endpoint_and_makes_at_least_ten_thousand_checks(sweep):
    _, result = sweep
    routes = {e.route for e in result.endpoints}
    assert routes == result.endpoints_requested | set(result.skipped)
    assert result.checks >= 10_000
    assert any(e.kind == "admin" for e in result.endpoints)
    assert "/api/v1/openapi.json" in result.endpoints_requested
