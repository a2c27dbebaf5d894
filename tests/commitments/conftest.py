import pytest


@pytest.fixture
def commitments(db):  # type: ignore[no-untyped-def]
    from beredskap.commitments.loader import load_commitments
    from beredskap.commitments.models import Commitment

    load_commitments()
    return Commitment.objects.all()
