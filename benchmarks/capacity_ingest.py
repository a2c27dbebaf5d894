"""Capacity benchmark: ingest a year of daily bed reports for every facility and
hourly reports for one crisis month through the API, against gunicorn + PostgreSQL (both
started here), with one client and with 50 concurrent clients; then time the national
capacity overview page. Each figure is printed beside a plain-SQL baseline doing the same
work in the same run (same rows, one transaction per report; the same aggregates for the
overview); the ratio is the figure.

Run: .venv/bin/python benchmarks/capacity_ingest.py [--quick] [--port 55443]
The year of daily reports goes through one client; the crisis month through 50 clients.
--quick: 4 days daily + 1 day hourly (a smoke run, well under two minutes).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "capacity_bench"
CLIENTS = 50


def start_postgres(port: str) -> str:
    env = {**os.environ, "BEREDSKAP_PG_PORT": port}
    url = subprocess.run(
        ["bash", str(ROOT / "scripts" / "postgres.sh"), "start"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return url.rsplit("/", 1)[0] + "/" + DB_NAME


def stop_postgres(port: str) -> None:
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "postgres.sh"), "stop"],
        env={**os.environ, "BEREDSKAP_PG_PORT": port},
        check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup_django(url: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="beredskap.settings",
        BEREDSKAP_DEBUG="1",
        BEREDSKAP_FAST_HASHER="1",
    )
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()


def prepare():  # type: ignore[no-untyped-def]
    """Reference data, one reporting user for every trust, a facility per trust, stock."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from beredskap.actors.models import Membership, Organisation
    from beredskap.actors.reference import load_actors
    from beredskap.capacity.models import Facility
    from beredskap.core.reference import load_geography
    from tests.factories import make_user, token_for, verified_client

    load_geography()
    load_actors()
    trusts = list(Organisation.objects.filter(kind="hf").order_by("name"))
    user = make_user("bench", trusts[0], role="reporter")
    for trust in trusts[1:]:
        Membership.objects.create(person=user.person, organisation=trust, role="reporter")
    facilities = [
        Facility.objects.create(
            name=f"{t.name} sykehus", code=f"hf-{t.pk}", kind="hospital", organisation=t
        )
        for t in trusts
    ]
    token = token_for(user)["HTTP_AUTHORIZATION"]
    session = verified_client(user).cookies["sessionid"].value
    return user, facilities, token, session


def start_gunicorn(url: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT / "src"),
        "BEREDSKAP_DEBUG": "1",
        "BEREDSKAP_FAST_HASHER": "1",
        "DJANGO_SETTINGS_MODULE": "beredskap.settings",
        # persistent connections, as a deployment runs; without them every request opens a
        # new PostgreSQL connection, which was most of the ~18 reports/s seen before
        "BEREDSKAP_DB_CONN_MAX_AGE": os.environ.get("BEREDSKAP_DB_CONN_MAX_AGE", "60"),
    }
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "beredskap.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "3",
            "--threads",
            "4",
            "--preload",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def payloads(facilities, days: int, hourly_days: int, now):  # type: ignore[no-untyped-def]
    daily = [(f, now - timedelta(days=d, hours=1)) for d in range(days, 0, -1) for f in facilities]
    crisis_start = now - timedelta(days=days + hourly_days + 1)
    hourly = [
        (f, crisis_start + timedelta(hours=h, minutes=30))
        for h in range(hourly_days * 24)
        for f in facilities
    ]
    return daily, hourly


def body(facility, at) -> dict:  # type: ignore[no-untyped-def]
    return {
        "facility": facility.code,
        "reported_at": at.isoformat(),
        "ventilators_total": 12,
        "ventilators_in_use": 7,
        "counts": [
            {
                "category": "icu_vent",
                "staffed": 10,
                "occupied": 7,
                "available": 3,
                "surge_24h": 2,
                "surge_72h": 4,
            },
            {"category": "ward", "staffed": 200, "occupied": 170, "available": 30},
        ],
    }


def warm_up(port: int, token: str) -> None:
    """Let every worker import and connect before timing (first requests are not the figure)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(30):
        conn.request("GET", "/api/v1/capacity/facilities?limit=1", headers={"Authorization": token})
        conn.getresponse().read()


def api_ingest(port: int, token: str, items: list, clients: int) -> float:
    local = threading.local()

    def post(item) -> None:  # type: ignore[no-untyped-def]
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(
            "POST",
            "/api/v1/capacity/bed-reports",
            json.dumps(body(*item)),
            {"Authorization": token, "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        data = response.read()
        if response.status != 201:
            raise SystemExit(f"API refused a report: {response.status} {data[:300]!r}")

    start = time.perf_counter()
    if clients == 1:
        for item in items:
            post(item)
    else:
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(post, items))
    return len(items) / (time.perf_counter() - start)


REPORT_COLUMNS = (
    "version",
    "created_at",
    "updated_at",
    "owner_org_id",
    "classification",
    "exempt_public",
    "exempt_legal_basis",
    "facility_id",
    "reported_at",
    "source",
    "surge_active",
    "ventilators_total",
    "ventilators_in_use",
    "ecmo_total",
    "ecmo_in_use",
    "comment",
    "reported_by_id",
)


def sql_ingest(url: str, user_id: int, items: list, clients: int) -> float:
    """The same rows into shadow tables with the same indexes: one transaction per report."""
    import psycopg

    local = threading.local()
    insert_report = (
        f"INSERT INTO bench_bedreport ({', '.join(REPORT_COLUMNS)}) VALUES (1, now(), now(), %s, "
        "0, false, '', %s, %s, 'api', false, 12, 7, 0, 0, '', %s) RETURNING id"
    )
    insert_count = (
        "INSERT INTO bench_bedcount (report_id, category, staffed, occupied, available, surge_24h, "
        "surge_72h) VALUES (%s, 'icu_vent', 10, 7, 3, 2, 4), (%s, 'ward', 200, 170, 30, 0, 0)"
    )

    def write(item) -> None:  # type: ignore[no-untyped-def]
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = psycopg.connect(url)
        facility, at = item
        with conn.transaction():
            report_id = conn.execute(
                insert_report, (facility.organisation_id, facility.pk, at, user_id)
            ).fetchone()[0]
            conn.execute(insert_count, (report_id, report_id))

    start = time.perf_counter()
    if clients == 1:
        for item in items:
            write(item)
    else:
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(write, items))
    return len(items) / (time.perf_counter() - start)


OVERVIEW_SQL = [
    # latest report per facility, beds per category
    """SELECT c.category, SUM(c.staffed), SUM(c.occupied), SUM(c.available), MIN(r.reported_at)
       FROM capacity_bedcount c JOIN (SELECT DISTINCT ON (facility_id) id, reported_at
       FROM capacity_bedreport ORDER BY facility_id, reported_at DESC, id DESC) r
       ON r.id = c.report_id GROUP BY c.category""",
    # ICU history: last report per facility per day, last 30 days
    """SELECT d.day, SUM(c.staffed), SUM(c.occupied) FROM capacity_bedcount c JOIN
       (SELECT DISTINCT ON (facility_id, reported_at::date) id, reported_at::date AS day
        FROM capacity_bedreport WHERE reported_at >= now() - interval '30 days'
        ORDER BY facility_id, reported_at::date, reported_at DESC, id DESC)
       d ON d.id = c.report_id WHERE c.category IN ('icu_vent', 'icu_novent')
       GROUP BY d.day ORDER BY d.day""",
    "SELECT product_id, SUM(quantity) FROM capacity_stockmovement GROUP BY product_id",
    "SELECT product_id, SUM(monthly_quantity) FROM capacity_consumptionrate GROUP BY product_id",
    "SELECT COUNT(*) FROM capacity_watersupply",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def time_overview(port: int, session: str, url: str, runs: int) -> tuple[list[float], list[float]]:
    import psycopg

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    page, sql = [], []
    with psycopg.connect(url) as db:
        for _ in range(runs):
            start = time.perf_counter()
            conn.request("GET", "/kapasitet/", headers={"Cookie": f"sessionid={session}"})
            response = conn.getresponse()
            text = response.read()
            page.append(time.perf_counter() - start)
            if response.status != 200 or b"Kapasitetsoversikt" not in text:
                raise SystemExit(f"overview failed: {response.status}")
            start = time.perf_counter()
            for query in OVERVIEW_SQL:
                db.execute(query).fetchall()
            sql.append(time.perf_counter() - start)
    return page, sql


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--port", default=os.environ.get("BEREDSKAP_PG_PORT", "55443"))
    args = parser.parse_args()
    days, hourly_days, runs = (4, 1, 15) if args.quick else (365, 30, 50)
    if shutil.which("pg_ctl") is None and not list(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")
    ):
        raise SystemExit("PostgreSQL is not installed")
    url = start_postgres(args.port)
    gunicorn = None
    try:
        setup_django(url)
        from django.utils import timezone

        user, facilities, token, session = prepare()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_bedreport (LIKE capacity_bedreport INCLUDING ALL)")
            cursor.execute("CREATE TABLE bench_bedcount (LIKE capacity_bedcount INCLUDING ALL)")
        connection.close()
        daily, hourly = payloads(facilities, days, hourly_days, timezone.now())
        gunicorn, port = start_gunicorn(url)
        warm_up(port, token)
        print(
            f"{len(facilities)} facilities; {len(daily)} daily reports (1 client), {len(hourly)} "
            f"hourly reports ({CLIENTS} clients); gunicorn 3 workers x 4 threads; PostgreSQL on "
            f"port {args.port}"
        )
        rows = []
        for label, items, clients in (
            ("daily year, 1 client", daily, 1),
            (f"crisis month hourly, {CLIENTS} clients", hourly, CLIENTS),
        ):
            api = api_ingest(port, token, items, clients)
            sql = sql_ingest(url, user.pk, items, clients)
            rows.append(
                f"ingest {label:<34} API {api:8.1f} reports/s | plain SQL {sql:8.1f} reports/s | "
                f"ratio {sql / api:5.1f}x"
            )
        page, sql = time_overview(port, session, url, runs)
        for row in rows:
            print(row)
        print(
            f"overview /kapasitet/ ({runs} runs)          page median "
            f"{statistics.median(page) * 1000:7.1f} ms, p95 {percentile(page, 0.95) * 1000:7.1f} "
            f"ms | plain SQL median {statistics.median(sql) * 1000:6.1f} ms, p95 "
            f"{percentile(sql, 0.95) * 1000:6.1f} ms | ratio "
            f"{statistics.median(page) / statistics.median(sql):5.1f}x"
        )
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=20)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001  (Django may not be set up)
            pass
        stop_postgres(args.port)


if __name__ == "__main__":
    main()
