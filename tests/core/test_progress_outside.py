"""Progress of an all-or-nothing job is written outside its own transaction on PostgreSQL, so
the page polling the job sees the bar move and a cancel is not blocked by the import."""

import pytest
from django.db import connection, connections, transaction

from beredskap.core.progress import update_outside
from beredskap.exercises import jobs
from beredskap.exercises.models import ImportJob, ImportKind
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _job():  # type: ignore[no-untyped-def]
    user = make_user("importerer")
    return ImportJob.objects.create(
        kind=ImportKind.EXERCISES, data=b"", requested_by=user, status=jobs.JobStatus.RUNNING
    )


def _seen_from_another_connection(pk: int) -> int:
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(f"SELECT progress FROM {ImportJob._meta.db_table} WHERE id = %s", [pk])
            return cursor.fetchone()[0]
    finally:
        other.close()


def _cancel_from_the_page(pk: int) -> None:
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportJob._meta.db_table} SET status = 'cancelled' WHERE id = %s", [pk]
            )
    finally:
        other.close()


def test_progress_inside_an_open_import_transaction_is_seen_by_the_page():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer: progress is seen when the import commits")
    job = _job()
    progress = jobs.progress_writer(ImportJob, job.pk)
    with transaction.atomic():
        make_user("rad-i-importen")  # the import's own uncommitted work
        progress(40)
        assert _seen_from_another_connection(job.pk) == 40  # before the import commits
        _cancel_from_the_page(job.pk)  # would wait for the import if progress held the row
        with pytest.raises(jobs.Cancelled):
            progress(60)
        transaction.set_rollback(True)
    assert ImportJob.objects.get(pk=job.pk).progress == 40


def test_a_row_only_the_transaction_itself_can_see_still_gets_its_progress():
    with transaction.atomic():
        job = _job()
        assert update_outside(ImportJob, {"pk": job.pk}, progress=30) == 1
        assert ImportJob.objects.get(pk=job.pk).progress == 30
