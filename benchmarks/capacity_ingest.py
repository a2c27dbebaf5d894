"""Capacity benchmark (issue 5): ingest daily bed reports for every facility through the API
and time the national overview, each beside a plain-SQL baseline doing the same work in the
same run; the ratio is the figure.

Run: PYTHONPATH=src .venv/bin/python benchmarks/capacity_ingest.py [--days 60]
(uses a temporary SQLite database; set DATABASE_URL for PostgreSQL). Not covered yet: the
50-concurrent-clients run against gunicorn and the hourly crisis month.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beredskap.settings")
os.environ.setdefault("BEREDSKAP_DEBUG", "1")
os.environ.setdefault("BEREDSKAP_FAST_HASHER", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=60)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from beredskap.actors.models import Organisation
    from beredskap.actors.reference import load_actors
    from beredskap.capacity.models import Facility
    from beredskap.core.reference import load_geography
    from tests.factories import make_user, token_for

    load_geography()
    load_actors()
    hfs = list(Organisation.objects.filter(kind="hf"))
    user = make_user("bench", hfs[0], role="reporter")
    from beredskap.actors.models import Membership

    for hf in hfs[1:]:
        Membership.objects.create(person=user.person, organisation=hf, role="reporter")
    facilities = [Facility.objects.create(name=f"B {hf.name}", code=f"b-{hf.pk}", kind="hospital", organisation=hf)
                  for hf in hfs]
    client, headers = Client(), token_for(user)
    now = timezone.now()
    payloads = [{"facility": f.code, "reported_at": (now - timedelta(days=d)).isoformat(),
                 "counts": [{"category": "icu_vent", "staffed": 10, "occupied": 6, "available": 4}]}
                for d in range(args.days, 0, -1) for f in facilities]
    import json

    start = time.perf_counter()
    for body in payloads:
        response = client.post("/api/v1/capacity/bed-reports", json.dumps(body), content_type="application/json",
                               **headers)
        assert response.status_code == 201, response.content
    api_rate = len(payloads) / (time.perf_counter() - start)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_report (facility_id int, reported_at text, staffed int, occ int)")
        cursor.executemany("INSERT INTO bench_report VALUES (%s, %s, %s, %s)",
                           [(f.pk, (now - timedelta(days=d)).isoformat(), 10, 6)
                            for d in range(args.days, 0, -1) for f in facilities])
    sql_rate = len(payloads) / (time.perf_counter() - start)
    print(f"ingest: {api_rate:,.0f} reports/s via API, {sql_rate:,.0f} rows/s plain SQL, ratio {sql_rate / api_rate:.1f}x")

    client.force_login(user)
    page_times, sql_times = [], []
    for _ in range(20):
        start = time.perf_counter()
        assert client.get("/kapasitet/senger/").status_code == 200
        page_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT facility_id, MAX(reported_at) FROM bench_report GROUP BY facility_id")
            cursor.fetchall()
        sql_times.append(time.perf_counter() - start)

    def p95(xs: list[float]) -> float:
        return sorted(xs)[int(len(xs) * 0.95) - 1]

    print(f"overview: median {statistics.median(page_times) * 1000:.1f} ms, p95 {p95(page_times) * 1000:.1f} ms; "
          f"plain SQL median {statistics.median(sql_times) * 1000:.2f} ms; "
          f"ratio {statistics.median(page_times) / statistics.median(sql_times):.0f}x")


if __name__ == "__main__":
    main()
