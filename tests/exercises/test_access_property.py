"""Property: a learning point reaches a user only with clearance AND need to know
(sikkerhetsloven § 8-1)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beredskap.exercises import queries, services
from tests.exercises.builders import conducted_with_evaluation
from tests.factories import make_user

CASES = st.tuples(st.integers(0, 2), st.booleans(), st.booleans(), st.booleans(), st.integers(0, 2))


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(CASES)
def test_a_learning_point_is_seen_only_with_clearance_and_need_to_know(case):
    from django.db import transaction

    from beredskap.actors.models import Organisation

    level, exempt, share_org, share_other_org, clearance = case
    with transaction.atomic():
        hdir = Organisation.objects.get(short_name="Hdir")
        dsb = Organisation.objects.get(short_name="DSB")
        owner = make_user("eier", hdir, role="reporter", clearance=2)
        evaluation = conducted_with_evaluation(owner, hdir)
        point = services.add_learning_point(
            by=owner, evaluation=evaluation, title="Læring", classification=level
        )
        if exempt:
            point.exempt_public, point.exempt_legal_basis = True, "offl. § 13"
            point.save()
        if share_org:
            services.share_learning_point(by=owner, learning_point=point, organisations=[dsb])
        if share_other_org:
            services.share_learning_point(
                by=owner,
                learning_point=point,
                organisations=[Organisation.objects.get(short_name="FHI")],
            )
        viewer = make_user("dsbbruker", dsb, clearance=clearance)
        seen = queries.learning_points(viewer).filter(pk=point.pk).exists()
        open_record = level == 0 and not exempt
        assert seen == (clearance >= level and (open_record or share_org))
        transaction.set_rollback(True)
