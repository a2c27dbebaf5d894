"""Operations benchmark: a national crisis day.

All 357 municipalities and all health trusts (HF) submit their situation report at once through
the API, each statsforvalter builds its county report as soon as its municipalities are in (the 10
offices cover the 15 counties), while coordinators keep polling the situational picture — 500
concurrent clients (threads with urllib; the coordinators' picture pages refresh every 30 s, as the
page does, staggered) against gunicorn (several gthread workers) on PostgreSQL,
both started here and stopped at the end.

Printed, each beside a plain-SQL baseline run in the same process on the same database:
- reports/s and p95 submission time  vs  one-row INSERT transactions from as many connections
  as PostgreSQL allows;
- p95 render time of the picture (under load and idle)  vs  a raw SELECT of the latest status
  per municipality.
Afterwards every acknowledged report is checked to be stored exactly once (clients that time out
retry with the same Idempotency-Key).

Run: .venv/bin/python benchmarks/operations_crisis_day.py [--quick]
(BEREDSKAP_PG_PORT chooses PostgreSQL's port, default 55444).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
PG_PORT = os.environ.get("BEREDSKAP_PG_PORT", "55444")
DB_NAME = "bench_operations_day"
COLOURS = ("green", "yellow", "red")
REFRESH_SECONDS = 30.0  # the picture page refreshes itself every 30 s


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[max(0, int(round(0.95 * len(xs))) - 1)] if xs else float("nan")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg_running(base: str) -> bool:
    import psycopg

    try:
        psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", connect_timeout=2).close()
        return True
    except psycopg.OperationalError:
        return False


def start_postgres() -> tuple[str, bool]:
    env = {**os.environ, "BEREDSKAP_PG_PORT": PG_PORT}
    url = subprocess.run(
        ["bash", str(ROOT / "scripts/postgres.sh"), "url"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    was_running = pg_running(url)
    if not was_running:
        subprocess.run(
            ["bash", str(ROOT / "scripts/postgres.sh"), "start"],
            env=env,
            check=True,
            capture_output=True,
        )
    return url.rsplit("/", 1)[0], not was_running


def recreate_db(server: str) -> str:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return f"{server}/{DB_NAME}"


def drop_db(server: str) -> None:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beredskap.settings")
    os.environ.setdefault("BEREDSKAP_FAST_HASHER", "1")
    import django

    django.setup()


def build_world(quick: bool) -> dict:
    """Reference data, a national crisis, its daily cycle, one reporter with a token per
    organisation."""
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from beredskap.actors.models import Organisation
    from beredskap.actors.reference import load_actors
    from beredskap.core.apiauth import issue_token
    from beredskap.core.models import County
    from beredskap.core.reference import load_geography
    from beredskap.operations.services import crises, sitreps
    from tests.factories import make_user

    load_geography()
    load_actors()
    ministry = Organisation.objects.get(short_name="HOD")
    coordinator = make_user("koordinator", ministry, role="secretariat", clearance=1)
    counties = list(County.objects.filter(number__in=["18", "55"])) if quick else []
    crisis = crises.declare_crisis(
        by=coordinator,
        name="Nasjonal pandemi – benchmark",
        risk_area="infection",
        crisis_type="Pandemi",
        owner_org=ministry,
        lead_ministry=ministry,
        counties=counties,
    )
    now = timezone.now()
    cycle = sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Daglig 12:00",
        due_time=timezone.localtime(now).time().replace(second=0, microsecond=0),
        starts_on=timezone.localdate(now),
        org_kinds=["municipality", "hf"],
    )
    reporters = sitreps.expected_organisations(cycle)
    offices = [
        o
        for o in Organisation.objects.filter(kind="statsforvalter").prefetch_related(
            "served_counties"
        )
        if not counties or set(o.served_counties.all()) & set(counties)
    ]
    crises.grant_participants(
        by=coordinator, crisis=crisis, organisations=[*reporters, *offices], reason="bench"
    )
    period = sitreps.next_deadline(cycle, timezone.now())
    tokens = {}
    for organisation in [*reporters, *offices]:
        user = make_user(f"r{organisation.pk}", organisation, role="reporter", clearance=1)
        tokens[organisation.pk] = issue_token(user=user, name="bench")
    muni_county = {o.pk: o.municipality.county_id for o in reporters if o.kind == "municipality"}
    office_counties = {o.pk: {c.pk for c in o.served_counties.all()} for o in offices}
    return {
        "crisis": crisis.pk,
        "cycle": cycle.pk,
        "period": period.isoformat(),
        "coordinator_token": issue_token(user=coordinator, name="bench"),
        "reporters": [(o.pk, o.kind) for o in reporters],
        "offices": list(office_counties.items()),
        "muni_county": muni_county,
        "tokens": tokens,
    }


def start_gunicorn(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT / "src"),
        "BEREDSKAP_DEBUG": "0",
        "BEREDSKAP_SECRET_KEY": secrets.token_urlsafe(32),
        "BEREDSKAP_DB_CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "beredskap.settings",
    }
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "beredskap.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            "8",
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, base
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def call(
    method: str, url: str, token: str, body: dict | None = None, key: str = "", timeout: float = 60
) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


class CrisisDay:
    """Everybody at once: report clients, county-report clients (each after its municipalities),
    and picture pollers filling the rest of the client count."""

    def __init__(self, base: str, world: dict, clients: int) -> None:
        crisis, cycle = world["crisis"], world["cycle"]
        self.world, self.period = world, world["period"]
        self.report_url = f"{base}/api/v1/crises/{crisis}/cycles/{cycle}/reports"
        self.county_url = f"{base}/api/v1/crises/{crisis}/cycles/{cycle}/county-reports"
        self.picture_url = f"{base}/api/v1/crises/{crisis}/picture"
        self.pollers = max(1, clients - len(world["reporters"]) - len(world["offices"]))
        self.lock = threading.Lock()
        self.acked: dict[int, int] = {}
        self.latencies: list[float] = []
        self.picture: list[float] = []
        self.failures: list[str] = []
        self.retries = 0
        self.last_ack = 0.0
        counties = list(world["muni_county"].values())
        self.county_done = {c: threading.Event() for c in set(counties)}
        self.county_left = {c: counties.count(c) for c in self.county_done}
        self.reports_done = threading.Event()
        self.remaining = len(world["reporters"])
        self.gate = threading.Barrier(
            len(world["reporters"]) + len(world["offices"]) + self.pollers + 1
        )

    def _attempt(self, org_id: int, url: str, body: dict, key: str) -> bool | None:
        """True: acknowledged; False: refused for good; None: try again with the same key."""
        try:
            status, payload = call("POST", url, self.world["tokens"][org_id], body, key=key)
        except OSError:  # timeout or connection reset
            status, payload = 0, {}
        with self.lock:
            if status == 201:
                self.acked[org_id] = payload["id"]
                self.last_ack = time.perf_counter()
                return True
            if status == 0 or status >= 500:
                self.retries += 1
                return None
            self.failures.append(f"{org_id}: {status} {payload}")
            return False

    def submit(self, org_id: int, url: str, body: dict) -> None:
        key, start = f"bench-{org_id}-{self.period}", time.perf_counter()
        for _attempt in range(6):
            done = self._attempt(org_id, url, body, key)
            if done is not None:
                if done:
                    with self.lock:
                        self.latencies.append(time.perf_counter() - start)
                return
        with self.lock:
            self.failures.append(f"{org_id}: gave up")

    def reporter(self, org_id: int, kind: str) -> None:
        colour = COLOURS[org_id % 3]
        body = {
            "organisation_id": org_id,
            "period_due": self.period,
            "situation": "Økende sykefravær",
            **{
                f"{s}_colour": colour
                for s in ("situation", "consequences", "needs", "measures", "outlook")
            },
            "needs": "Intensivsykepleiere",
            "personnel_absence_pct": float(org_id % 20),
        }
        self.gate.wait()
        try:
            self.submit(org_id, self.report_url, body)
        finally:
            county = self.world["muni_county"].get(org_id)
            with self.lock:
                self.remaining -= 1
                if self.remaining == 0:
                    self.reports_done.set()
                if county is not None:
                    self.county_left[county] -= 1
                    if self.county_left[county] == 0:
                        self.county_done[county].set()

    def office(self, org_id: int, counties: set[int]) -> None:
        self.gate.wait()
        for county in counties & set(self.county_done):
            self.county_done[county].wait(timeout=600)
        self.submit(
            org_id, self.county_url, {"statsforvalter_id": org_id, "period_due": self.period}
        )

    def poller(self, offset: float) -> None:
        """A coordinator's open picture page: refreshes every 30 s like the page does
        (htmx/picture.js)."""
        self.gate.wait()
        if self.reports_done.wait(offset):
            return
        while not self.reports_done.is_set():
            start = time.perf_counter()
            try:
                status, _ = call("GET", self.picture_url, self.world["coordinator_token"])
            except OSError:
                status = 0
            if status == 200:
                with self.lock:
                    self.picture.append(time.perf_counter() - start)
            self.reports_done.wait(REFRESH_SECONDS)

    def run(self) -> dict:
        threads = [threading.Thread(target=self.reporter, args=r) for r in self.world["reporters"]]
        threads += [threading.Thread(target=self.office, args=o) for o in self.world["offices"]]
        threads += [
            threading.Thread(target=self.poller, args=(REFRESH_SECONDS * k / self.pollers,))
            for k in range(self.pollers)
        ]
        for t in threads:
            t.start()
        self.gate.wait()
        start = time.perf_counter()
        for t in threads:
            t.join()
        return {
            "acked": self.acked,
            "latencies": self.latencies,
            "picture": self.picture,
            "failures": self.failures,
            "retries": self.retries,
            "wall": self.last_ack - start,
            "clients": len(threads),
            "pollers": self.pollers,
        }


def verify_exactly_once(world: dict, acked: dict[int, int]) -> tuple[bool, str]:
    from django.db.models import Count

    from beredskap.operations.models import SituationReport

    rows = SituationReport.objects.filter(cycle_id=world["cycle"])
    per_org = dict(rows.values_list("organisation_id").annotate(n=Count("id")))
    ids = dict(rows.values_list("organisation_id", "id"))
    twice = [o for o, n in per_org.items() if n != 1]
    lost = [o for o, rid in acked.items() if ids.get(o) != rid]
    unacked = [o for o in per_org if o not in acked]
    ok = not twice and not lost
    return ok, (
        f"{len(acked)} acknowledged, {sum(per_org.values())} stored, duplicates {len(twice)}, "
        f"acknowledged-but-missing {len(lost)}, stored-but-unacknowledged {len(unacked)}"
    )


def picture_idle(base: str, world: dict, n: int) -> list[float]:
    url = f"{base}/api/v1/crises/{world['crisis']}/picture"
    times = []
    for _ in range(n):
        start = time.perf_counter()
        status, _ = call("GET", url, world["coordinator_token"])
        assert status == 200, status
        times.append(time.perf_counter() - start)
    return times


def sql_baseline(url: str, world: dict, rows: int, connections: int, selects: int) -> dict:
    """Plain SQL doing the bare minimum of the same work: one INSERT transaction per report from
    `connections` concurrent connections, and one SELECT of the latest status per organisation."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_plain_report")
        conn.execute(
            "CREATE TABLE bench_plain_report (id bigserial primary key, organisation_id int, "
            "period_due timestamptz, submitted_at timestamptz, colour text, body jsonb, "
            "UNIQUE (organisation_id, period_due))"
        )
    latencies: list[float] = []
    lock = threading.Lock()
    gate = threading.Barrier(connections + 1)
    work = list(range(rows))

    def worker(part: list[int]) -> None:
        with psycopg.connect(url) as conn:
            gate.wait()
            for i in part:
                start = time.perf_counter()
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO bench_plain_report (organisation_id, period_due, "
                        "submitted_at, colour, body) VALUES (%s, %s, now(), %s, %s)",
                        (
                            i,
                            world["period"],
                            COLOURS[i % 3],
                            json.dumps({"situation": "Økende sykefravær"}),
                        ),
                    )
                with lock:
                    latencies.append(time.perf_counter() - start)

    threads = [
        threading.Thread(target=worker, args=(work[k::connections],)) for k in range(connections)
    ]
    for t in threads:
        t.start()
    gate.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    select_times = []
    with psycopg.connect(url) as conn:
        for _ in range(selects):
            start = time.perf_counter()
            conn.execute(
                "SELECT DISTINCT ON (r.organisation_id) m.number, r.situation_colour, "
                "r.consequences_colour, r.needs_colour, r.measures_colour, r.outlook_colour, "
                "r.submitted_at FROM operations_situationreport r JOIN actors_organisation o ON "
                "o.id = r.organisation_id JOIN core_municipality m ON m.id = o.municipality_id "
                "WHERE r.crisis_id = %s ORDER BY r.organisation_id, r.period_due DESC, "
                "r.submitted_at DESC",
                (world["crisis"],),
            ).fetchall()
            select_times.append(time.perf_counter() - start)
        conn.execute("DROP TABLE bench_plain_report")
    return {"rate": rows / wall, "latencies": latencies, "select": select_times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="two counties, 80 clients (smoke run, < 2 min)"
    )
    parser.add_argument("--clients", type=int, default=None)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    clients = args.clients or (80 if args.quick else 500)
    server, started = start_postgres()
    gunicorn = None
    try:
        url = recreate_db(server)
        setup_django(url)
        t0 = time.perf_counter()
        world = build_world(args.quick)
        print(
            f"setup: {len(world['reporters'])} reporting organisations "
            f"({sum(1 for _o, k in world['reporters'] if k == 'municipality')} municipalities, "
            f"{sum(1 for _o, k in world['reporters'] if k == 'hf')} HF), {len(world['offices'])} "
            f"statsforvalter offices building county reports, in {time.perf_counter() - t0:.0f} s"
        )
        gunicorn, base = start_gunicorn(url, args.workers)
        picture_idle(base, world, args.workers * 2)  # warm every worker
        run = CrisisDay(base, world, clients).run()
        ok, detail = verify_exactly_once(world, run["acked"])
        idle = picture_idle(base, world, 10 if args.quick else 30)
        from django.db import connections

        connections.close_all()
        plain = sql_baseline(
            url, world, len(run["acked"]) or 1, min(run["clients"], 150), 10 if args.quick else 30
        )
        total = len(run["acked"])
        rate = total / run["wall"]
        sub95, sql95 = p95(run["latencies"]), p95(plain["latencies"])
        pic95, idle95, sel95 = p95(run["picture"]), p95(idle), p95(plain["select"])
        print(
            f"crisis day: {run['clients']} concurrent clients ({run['pollers']} polling the "
            f"picture), gunicorn {args.workers} workers × 8 threads, PostgreSQL; retries "
            f"{run['retries']}, refusals {len(run['failures'])}"
        )
        for failure in run["failures"][:5]:
            print("  refused:", failure)
        print(
            f"reports/s:          {rate:8.1f}   plain SQL INSERT {plain['rate']:8.1f}/s   "
            f"ratio {plain['rate'] / rate:6.1f}x slower"
        )
        print(
            f"p95 submission:     {sub95 * 1000:8.0f} ms plain SQL INSERT {sql95 * 1000:8.1f} ms   "
            f"ratio {sub95 / sql95:6.1f}x"
        )
        print(
            f"p95 picture (load): {pic95 * 1000:8.0f} ms raw SELECT {sel95 * 1000:8.2f} ms   "
            f"ratio {pic95 / sel95:6.0f}x   ({len(run['picture'])} renders)"
        )
        print(
            f"p95 picture (idle): {idle95 * 1000:8.0f} ms raw SELECT {sel95 * 1000:8.2f} ms   "
            f"ratio {idle95 / sel95:6.0f}x   (median {statistics.median(idle) * 1000:.0f} ms)"
        )
        print(f"exactly once: {'OK' if ok else 'FAILED'} – {detail}")
        if not ok or run["failures"]:
            sys.exit(1)
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 - Django may not be set up if setup failed
            pass
        drop_db(server)
        if started:
            subprocess.run(
                ["bash", str(ROOT / "scripts/postgres.sh"), "stop"],
                env={**os.environ, "BEREDSKAP_PG_PORT": PG_PORT},
                check=False,
            )


if __name__ == "__main__":
    main()
