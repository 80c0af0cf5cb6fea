#!/usr/bin/env python
"""Benchmark: each portal page side by side with a bare Django 5.2 page of the same kind (issue 13).

Usage: make bench   (or .venv/bin/python bench/pages.py [--rounds 3] [--seconds 1.5] [--quick])

Both apps run under gunicorn (2 sync workers, DEBUG off) on the same PostgreSQL server and database: the portal
with its production settings and Redis (REDIS_URL, when set), the bare project of bench/bare/ in its own schema.
The data is issue 13's: 1,200 dossiers, about 2,065 reviews, 40 reviewers (bench/world.py). For every portal page
and then its bare page, one after the other (interleaved, so both see the same load from the rest of the machine):
requests/s at concurrency 1 and the 95th percentile latency at concurrency 10; each figure is the median of
``--rounds`` rounds. Prints the table and writes it to bench/RESULTS.md (between its "pages" markers).

The database (``ami_bench_pages`` on the server of DATABASE_URL, else 127.0.0.1:5432) is created afresh and
dropped at the end. ``--quick`` is a smoke run: tiny data, one short round, no targets checked.
"""

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BARE = ROOT / "bench" / "bare"
RESULTS = ROOT / "bench" / "RESULTS.md"
sys.path.insert(0, str(ROOT))

# Issue 13's targets.
RATIO_TARGET, ADMIN_RATIO_TARGET, P95_TARGET_MS, SEARCH_P95_TARGET_MS = 0.40, 0.25, 150, 30
COMMUNE_QUERIES = ["chal", "saint", "lyon", "bourg", "71100", "sur mer", "mont", "ville"]


@dataclass
class Page:
    label: str
    role: str  # a key of the world's users, or "anonymous"
    paths: list[str]  # requests cycle through them
    bare: str  # the bare page of the same kind
    admin: bool = False
    p95_target_ms: float = P95_TARGET_MS
    results: dict = field(default_factory=dict)


BARE_PAGES = {
    "/small/": "small template",
    "/list/": "50-row list with a join",
    "/me/": "logged-in page",
    "/me/list/": "logged-in 50-row list with a join",
}


def pages_of(world) -> list[Page]:
    from django.urls import reverse

    review_wave = world["waves"]["review"].pk
    return [
        Page("public home", "anonymous", [reverse("home")], "/small/"),
        Page("public results", "anonymous", [reverse("results-campaign", args=["banc"])], "/list/"),
        Page("open-data CSV", "anonymous", [reverse("opendata-csv")], "/list/"),
        Page(
            "commune search",
            "anonymous",
            [f"{reverse('cities:commune_search')}?q={q.replace(' ', '+')}" for q in COMMUNE_QUERIES],
            "/list/",
            p95_target_ms=SEARCH_P95_TARGET_MS,
        ),
        Page("press home", "press", [reverse("press-home")], "/me/"),
        Page("official: dossier list", "official", [reverse("applications:home")], "/me/"),
        Page(
            "official: dossier page",
            "official",
            [reverse("applications:dossier", args=[world["own_dossier"].pk])],
            "/me/",
        ),
        Page(
            "reviewer changelist",
            "reviewer",
            [reverse("admin:applications_dossier_changelist")],
            "/me/list/",
            admin=True,
        ),
        Page(
            "coordinator changelist",
            "coordinator",
            [reverse("admin:applications_dossier_changelist")],
            "/me/list/",
            admin=True,
        ),
        Page(
            "review form",
            "reviewer",
            [reverse("admin:reviews_review_change", args=[world["review"].pk])],
            "/me/list/",
            admin=True,
        ),
        Page(
            "ranking",
            "coordinator",
            [reverse("admin:applications_dossier_ranking", args=[review_wave])],
            "/me/list/",
            admin=True,
        ),
        Page(
            "review dashboard",
            "coordinator",
            [reverse("admin:applications_dossier_dashboard")],
            "/me/list/",
            admin=True,
        ),
    ]


# --- the database and the servers ---------------------------------------------------------------------------


def database_url(name: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres")
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE SCHEMA bare")


def drop_database(url: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')


def portal_environment(url: str, secret_key: str) -> dict:
    """Production settings, served over plain HTTP on 127.0.0.1 (no TLS redirect)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ami_portal.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": secret_key,
        "SECURE_SSL_REDIRECT": "False",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "False",
    }
    env.pop("TRUST_PROXY_REQUEST_START", None)
    return env


def free_port(preferred: int = 0) -> int:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port left in TIME_WAIT by the last run
        try:
            probe.bind(("127.0.0.1", preferred))
        except OSError:
            probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(name: str, module: str, *, cwd: Path, env: dict, port: int, workers: int) -> subprocess.Popen:
    log = tempfile.NamedTemporaryFile(prefix=f"ami-bench-{name}-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), module, "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
        + ["--backlog", "2048", "--timeout", "60", "--log-level", "warning"],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=log,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"gunicorn ({name}) did not start; see {log.name}")


# --- the load generator ---------------------------------------------------------------------------------------


def hammer(port: int, paths: list[str], cookie: str, *, concurrency: int, seconds: float) -> dict:
    """``concurrency`` threads send GET requests (one connection each, like gunicorn's sync workers want) for
    ``seconds``; returns requests/s, p95 latency (ms) and the answers that were not 200."""
    headers = {"Host": "127.0.0.1", "Accept-Language": "fr", "Connection": "close"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    latencies: list[float] = []
    failures: list[tuple[str, object]] = []
    started = time.perf_counter()
    stop_at = started + seconds

    def worker(offset: int) -> None:
        turn = offset
        while time.perf_counter() < stop_at:
            path = paths[turn % len(paths)]
            turn += 1
            sent = time.perf_counter()
            try:
                connection = HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                status = response.status
            except OSError as error:
                status = f"error: {error}"
            latencies.append(time.perf_counter() - sent)
            if status != 200:
                failures.append((path, status))

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"rps": len(latencies) / elapsed, "p95_ms": percentile(latencies, 0.95) * 1000, "failures": failures}


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- the run --------------------------------------------------------------------------------------------------


def measure(pages: list[Page], ports: dict, cookies: dict, *, rounds: int, seconds: float) -> list[str]:
    """Fills each page's results with the median over ``rounds`` of (portal, bare) × (rps at 1, p95 at 10)."""
    failures = []
    for page in pages:  # warm-up: each worker imports, compiles templates, opens its connection
        bare_cookie = cookies["bare"] if page.bare.startswith("/me") else ""
        hammer(ports["portal"], page.paths, cookies[page.role], concurrency=2, seconds=min(seconds, 0.3))
        hammer(ports["bare"], [page.bare], bare_cookie, concurrency=2, seconds=min(seconds, 0.3))
    samples: dict[str, dict[str, list[float]]] = {page.label: {} for page in pages}
    for number in range(1, rounds + 1):
        print(f"round {number}/{rounds}…", flush=True)
        for page in pages:
            sides = [
                ("portal", ports["portal"], page.paths, cookies[page.role]),
                ("bare", ports["bare"], [page.bare], cookies["bare"] if page.bare.startswith("/me") else ""),
            ]
            for side, port, paths, cookie in sides:
                single = hammer(port, paths, cookie, concurrency=1, seconds=seconds)
                loaded = hammer(port, paths, cookie, concurrency=10, seconds=seconds)
                for key, value in ((f"{side}_rps", single["rps"]), (f"{side}_p95", loaded["p95_ms"])):
                    samples[page.label].setdefault(key, []).append(value)
                failures += [
                    f"{page.label} ({side}): {path} → {status}"
                    for path, status in single["failures"] + loaded["failures"]
                ]
    for page in pages:
        page.results = {key: statistics.median(values) for key, values in samples[page.label].items()}
        page.results["ratio"] = page.results["portal_rps"] / page.results["bare_rps"]
    return sorted(set(failures))


def verdicts(page: Page) -> tuple[bool, bool]:
    ratio_target = ADMIN_RATIO_TARGET if page.admin else RATIO_TARGET
    return page.results["ratio"] >= ratio_target, page.results["portal_p95"] < page.p95_target_ms


def table(pages: list[Page], *, heading: str) -> str:
    lines = [
        heading,
        "",
        "| page | matching bare page | portal req/s (c=1) | bare req/s (c=1) | ratio (target) | portal p95 at c=10 (target) | bare p95 at c=10 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for page in pages:
        r = page.results
        ratio_ok, p95_ok = verdicts(page)
        target = ADMIN_RATIO_TARGET if page.admin else RATIO_TARGET
        lines.append(
            f"| {page.label} | {BARE_PAGES[page.bare]} | {r['portal_rps']:.0f} | {r['bare_rps']:.0f} | "
            f"{r['ratio']:.2f} (≥ {target:.2f}) {'✅' if ratio_ok else '❌'} | "
            f"{r['portal_p95']:.0f} ms (< {page.p95_target_ms:.0f}) {'✅' if p95_ok else '❌'} | {r['bare_p95']:.0f} ms |"
        )
    return "\n".join(lines) + "\n"


def write_section(name: str, text: str) -> None:
    """Replace the ``name`` section of bench/RESULTS.md (between its markers), keeping the others."""
    begin, end = f"<!-- {name}: begin -->", f"<!-- {name}: end -->"
    current = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results (`make bench`)\n"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    if begin in current and end in current:
        before, rest = current.split(begin, 1)
        current = before + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(current)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=1.5, help="per measurement (page × side × concurrency)")
    parser.add_argument("--dossiers", type=int, default=1200)
    parser.add_argument("--reviewers", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers of each app")
    parser.add_argument("--database", default="ami_bench_pages", help="created afresh on the PostgreSQL server")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "0")), help="first of two ports")
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny data, one short round, no territories")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.dossiers, args.reviewers = 1, 0.1, 24, 4

    url = database_url(args.database)
    recreate_database(url)
    servers = []
    try:
        return run(args, url, servers)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        drop_database(url)


def run(args, url: str, servers: list) -> int:
    secret_key = secrets.token_urlsafe(50)
    env = portal_environment(url, secret_key)
    os.environ.update(DATABASE_URL=url, SECRET_KEY=secret_key, DJANGO_SETTINGS_MODULE="ami_portal.settings.production")
    os.environ.update(SECURE_SSL_REDIRECT="False", AXES_ENABLED="False")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import world as world_module

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    world = world_module.build(dossiers=args.dossiers, reviewers=args.reviewers, territories=not args.quick)
    with connection.cursor() as cursor:  # statistics, as autovacuum keeps them on a live database
        cursor.execute("ANALYZE")
    cookies = {"anonymous": ""} | {role: world_module.session_cookie(user) for role, user in world["users"].items()}
    bare_env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bare_project.settings"}
    bare_python = [str(ROOT / ".venv/bin/python"), "manage.py"]
    subprocess.run([*bare_python, "migrate", "-v0"], cwd=BARE, env=bare_env, check=True)
    seeded = subprocess.run([*bare_python, "bare_seed"], cwd=BARE, env=bare_env, check=True, capture_output=True)
    cookies["bare"] = seeded.stdout.decode().strip().splitlines()[-1]
    from reviews.models import Review

    print(
        f"Data: {world['campaign'].dossiers.count()} dossiers, {Review.objects.count()} reviews, "
        f"{args.reviewers} reviewers (built in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    ports = {"portal": free_port(args.port), "bare": free_port(args.port + 1 if args.port else 0)}
    servers.append(
        start_gunicorn("portal", "ami_portal.wsgi", cwd=ROOT, env=env, port=ports["portal"], workers=args.workers)
    )
    servers.append(
        start_gunicorn("bare", "bare_project.wsgi", cwd=BARE, env=bare_env, port=ports["bare"], workers=args.workers)
    )
    pages = pages_of(world)
    print(
        f"{len(pages)} pages × (portal, bare) × (c=1, c=10), {args.seconds} s each, {args.rounds} interleaved round(s)",
        flush=True,
    )
    load_before = os.getloadavg()[0]
    failures = measure(pages, ports, cookies, rounds=args.rounds, seconds=args.seconds)
    heading = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: gunicorn {args.workers} sync workers per app, "
        f"PostgreSQL, {args.dossiers} dossiers, {Review.objects.count()} reviews, {args.reviewers} reviewers; "
        f"median of {args.rounds} interleaved round(s) of {args.seconds} s per figure; load generated by Python threads "
        f"on the same machine ({os.cpu_count()} cores; load average {load_before:.1f} when the measurement started, "
        f"{os.getloadavg()[0]:.1f} when it ended)."
    )
    text = table(pages, heading=heading)
    print("\n" + text)
    if failures:
        print("Answers other than 200:\n  " + "\n  ".join(failures[:20]))
    if not (args.no_write or args.quick):
        write_section("pages", "## Each page against a bare Django page of the same kind\n\n" + text)
        print(f"Written to {RESULTS.relative_to(ROOT)}")
    missed = [page.label for page in pages if not all(verdicts(page))]
    if missed and not args.quick:
        print("Targets missed on: " + ", ".join(missed))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
