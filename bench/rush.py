#!/usr/bin/env python
"""Benchmark: the last-minute rush at a deadline, on the real stack (gunicorn, PostgreSQL).

Usage: make bench   (or .venv/bin/python bench/rush.py [--submits 500] [--window 10] [--workers 2])

N officials with complete dossiers submit during the last ``--window`` seconds before a wave closes, plus 50 who
straddle the deadline (25 one second before, 25 one second after). The server runs gunicorn with ``--workers`` sync
workers behind a simulated front proxy: each request carries ``X-Request-Start`` (what nginx's
``proxy_set_header X-Request-Start "t=${msec}"`` adds) and the server trusts it (TRUST_PROXY_REQUEST_START), so a
submission is judged at its arrival even while it waits in the queue (ami_portal/arrival.py). As in production,
the receipts are queued on Redis (REDIS_URL, else the local Redis' database 14, emptied before and after) and one
Celery worker beside the web workers renders and sends them; the run waits for the outbox to be empty and fails if
an e-mail is not sent. Without Redis the tasks run eagerly inside the requests (it says so).

Prints (and writes to bench/RESULTS.md, between its "rush" markers, unless --no-write) accepted / refused before
and after the deadline, lost submissions (accepted answers without a row, or rows
without an answer) and latency percentiles; exits 1 if a submission sent before the deadline was refused, one sent
after it accepted, or anything was lost. Needs PostgreSQL: DATABASE_URL, or a throw-away database on
127.0.0.1:5432 (trust auth) that it creates and drops.
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
import uuid
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STRADDLE = 25
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"


def throwaway_database() -> tuple[str, str | None]:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"], None
    import psycopg

    name = f"ami_bench_rush_{os.getpid()}"
    with psycopg.connect(DEFAULT_SERVER + "postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return DEFAULT_SERVER + name, name


def drop_database(name: str | None) -> None:
    if name:
        import psycopg

        with psycopg.connect(DEFAULT_SERVER + "postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ami_portal.settings.test")
    os.environ.setdefault("AXES_ENABLED", "False")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_officials(count: int):
    """A campaign with one wave (closing far away for now) and ``count`` complete, verified drafts; returns the wave
    and, per dossier, its id and the cookies of a logged-in session of its owner."""
    from django.test import Client

    from tests.factories import DossierFactory, WaveFactory

    wave = WaveFactory(campaign__slug=f"rush-{uuid.uuid4().hex[:6]}", number=1)
    officials = []
    for _ in range(count):
        dossier = DossierFactory(complete=True, wave=wave, campaign=wave.campaign)
        client = Client()
        client.force_login(dossier.owner)
        officials.append((dossier.pk, client.cookies["sessionid"].value))
    return wave, officials


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The rush's own Redis database when no REDIS_URL is given (emptied before and after the run).
OWN_BROKER = "redis://127.0.0.1:6379/14"


def broker_url() -> tuple[str | None, bool]:
    """(broker URL, whether it is ours to empty): REDIS_URL, else the local Redis if it answers, else none (the
    tasks then run eagerly inside the requests, and the figures include the e-mails' rendering)."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"], False
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return OWN_BROKER, True
    except OSError:
        return None, False


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def server_environment(database_url: str, broker: str | None) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "ami_portal.settings.test",
        "TRUST_PROXY_REQUEST_START": "True",
        "AXES_ENABLED": "False",
    }
    if broker:
        env["REDIS_URL"] = broker
    return env


def start_worker(env: dict) -> subprocess.Popen:
    """One Celery worker (as in production, beside the web workers): it renders and sends the receipts. At a lower
    CPU priority (nice 10, as README's Production section advises on a node shared with web workers): the receipts
    can wait a few seconds, the submissions queued behind the deadline cannot."""
    log = tempfile.NamedTemporaryFile(prefix="ami-rush-celery-", suffix=".log", delete=False)  # noqa: SIM115
    print(f"Celery worker's log: {log.name}", flush=True)
    return subprocess.Popen(
        [
            "nice",
            "-n",
            "10",
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "ami_portal",
            "worker",
            "--pool=solo",
            "-l",
            "warning",
        ]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )


def wait_for_receipts(*, timeout: float) -> dict:
    """Waits until the outbox holds nothing ready or being sent (or ``timeout``); returns the count per status."""
    from django.db.models import Count

    from notifications.models import OutboxMessage, OutboxStatus

    end = time.time() + timeout
    while True:
        counts = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("pk")))
        pending = counts.get(OutboxStatus.READY, 0) + counts.get(OutboxStatus.SENDING, 0)
        if not pending or time.time() > end:
            return counts
        time.sleep(1)


def start_server(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="ami-rush-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    print(f"gunicorn's log: {log.name}", flush=True)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "ami_portal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def submit(port: int, dossier_id: int, session: str, wave_id: int, send_at: float, results: list) -> None:
    """Wait until ``send_at`` (epoch seconds), then post the confirmation of the submission, like the browser."""
    time.sleep(max(0.0, send_at - time.time()))
    csrf = secrets.token_hex(16)  # an unmasked 32-character secret, sent as cookie and form field
    body = urlencode({"csrfmiddlewaretoken": csrf, "wave": wave_id, "token": str(uuid.uuid4())})
    sent = time.time()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "Referer": f"http://127.0.0.1:{port}/",
        "X-Request-Start": f"t={sent:.6f}",
        "Connection": "close",
    }
    try:
        connection = HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("POST", f"/dossiers/{dossier_id}/submit/", body=body, headers=headers)
        response = connection.getresponse()
        status, location = response.status, response.getheader("Location") or ""
        response.read()
        connection.close()
    except OSError as error:
        status, location = f"error: {error}", ""
    results.append(
        {
            "dossier": dossier_id,
            "sent": sent,
            "elapsed": time.time() - sent,
            "status": status,
            "accepted": status == 302 and "/receipt/" in location,
        }
    )


def settle_database() -> None:
    """VACUUM ANALYZE and CHECKPOINT after building 550 dossiers, as a database that has served for days would be:
    otherwise autovacuum and the checkpoint of the set-up's writes land in the middle of the rush."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def warm_up(port: int, officials: list, wave_id: int, rounds: int = 20) -> None:
    """A few pages through each gunicorn worker before the rush, as on a server that has been running: the first
    request of a process loads the URL resolver, the templates and the translations. The confirmation pages of the
    rushers' dossiers are only read (GET), nothing is submitted."""
    for pk, session in officials[:rounds]:
        connection = HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", f"/dossiers/{pk}/submit/", headers={"Cookie": f"sessionid={session}"})
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != 200:
            raise SystemExit(f"warm-up: GET /dossiers/{pk}/submit/ answered {response.status}")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submits", type=int, default=500, help="officials submitting in the last seconds")
    parser.add_argument("--window", type=float, default=10.0, help="seconds before the deadline they submit in")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args()

    database_url, throwaway = throwaway_database()
    try:
        setup_django(database_url)
        print(f"Building {args.submits + 2 * STRADDLE} complete dossiers…", flush=True)
        wave, officials = build_officials(args.submits + 2 * STRADDLE)
        broker, ours = broker_url()
        if ours:
            empty_redis(broker)
        env = server_environment(database_url, broker)
        processes = []
        try:
            if broker:
                processes.append(start_worker(env))
            else:
                print("No Redis: tasks run eagerly inside the requests (the e-mails' rendering is in the figures).")
            server, port = start_server(env, args.workers)
            processes.append(server)
            settle_database()
            warm_up(port, officials, wave.pk)
            load_before = os.getloadavg()[0]
            status, outcome = rush(wave, officials, port, args)
            counts = None
            if broker:
                counts = wait_for_receipts(timeout=300)
                print(f"e-mails after the rush (outbox, per status): {counts}")
                if set(counts) - {"sent"}:
                    status = 1
            if not args.no_write:
                from bench.pages import RESULTS, write_section

                write_section("rush", rush_table(outcome, args, receipts=counts, load_before=load_before))
                print(f"Written to {RESULTS.relative_to(ROOT)}")
            return status
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)
            if ours:
                empty_redis(broker)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(throwaway)


def rush(wave, officials, port: int, args) -> int:
    from datetime import UTC, datetime, timedelta

    from applications.models import Submission

    deadline = time.time() + args.window + 5  # time to start the threads
    closes_at = datetime.fromtimestamp(deadline, tz=UTC)
    wave.opens_at, wave.closes_at, wave.publishes_at = (
        closes_at - timedelta(days=30),
        closes_at,
        closes_at + timedelta(days=30),
    )
    wave.save()
    rushers, straddlers = officials[: args.submits], officials[args.submits :]
    plan = [
        (pk, session, deadline - args.window + args.window * i / len(rushers))
        for i, (pk, session) in enumerate(rushers)
    ]
    plan += [(pk, session, deadline - 1.0) for pk, session in straddlers[:STRADDLE]]
    plan += [(pk, session, deadline + 1.0) for pk, session in straddlers[STRADDLE:]]
    results: list[dict] = []
    threads = [
        threading.Thread(target=submit, args=(port, pk, session, wave.pk, at, results)) for pk, session, at in plan
    ]
    print(
        f"{len(plan)} submissions from {args.window:.0f} s before the deadline to 1 s after, "
        f"gunicorn {args.workers} sync workers…",
        flush=True,
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    before = [r for r in results if r["sent"] < deadline]
    after = [r for r in results if r["sent"] >= deadline]
    refused_before = [r for r in before if not r["accepted"]]
    accepted_after = [r for r in after if r["accepted"]]
    stored = set(Submission.objects.filter(wave=wave).values_list("dossier_id", flat=True))
    answered = {r["dossier"] for r in results if r["accepted"]}
    lost = (stored - answered) | (answered - stored)
    latencies = [r["elapsed"] for r in results]
    print(
        f"sent before the deadline: {len(before)}, accepted {len(before) - len(refused_before)}, "
        f"refused {len(refused_before)}"
    )
    print(
        f"sent after the deadline:  {len(after)}, refused {len(after) - len(accepted_after)}, "
        f"accepted {len(accepted_after)}"
    )
    print(f"lost (answer and stored submission disagree): {len(lost)}")
    print(
        f"latency: p50 {statistics.median(latencies):.2f} s, p95 {percentile(latencies, 0.95):.2f} s, "
        f"max {max(latencies):.2f} s"
    )
    by_second = {}
    for r in results:
        by_second.setdefault(int(r["sent"] - deadline + args.window), []).append(r["elapsed"])
    p95_by_second = {s: percentile(v, 0.95) for s, v in sorted(by_second.items())}
    print("p95 latency by second of the rush: " + ", ".join(f"{s}: {v:.2f}" for s, v in p95_by_second.items()))
    if refused_before:
        print("refused although sent in time (status):", sorted({str(r["status"]) for r in refused_before}))
    outcome = {
        "before": len(before),
        "refused_before": len(refused_before),
        "after": len(after),
        "accepted_after": len(accepted_after),
        "lost": len(lost),
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "max": max(latencies),
        "p95_by_second": p95_by_second,
    }
    return (1 if refused_before or accepted_after or lost else 0), outcome


# Issue 13's latency target for the rush.
P95_TARGET_S = 1.0


def rush_table(outcome: dict, args, *, receipts: dict | None, load_before: float) -> str:
    """The rush's figures as the "rush" section of bench/RESULTS.md."""
    o = outcome
    exact = not (o["refused_before"] or o["accepted_after"] or o["lost"])
    mail = (
        "the tasks ran eagerly inside the requests (no Redis)"
        if receipts is None
        else "e-mails after the rush, per status: " + ", ".join(f"{k} {v}" for k, v in sorted(receipts.items()))
    )
    by_second = ", ".join(f"{s}: {v:.2f}" for s, v in o["p95_by_second"].items())
    return f"""## The deadline rush

Measured {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())} by `bench/rush.py`: gunicorn {args.workers} sync \
workers, PostgreSQL, {"one Celery worker beside them" if receipts is not None else "no Celery worker"}; {args.submits} officials submitting over the last \
{args.window:.0f} s before the deadline, {STRADDLE} one second before it and {STRADDLE} one second after it \
({os.cpu_count()} cores; load average {load_before:.1f} when the rush started, {os.getloadavg()[0]:.1f} after it).

| submissions | sent | accepted | refused |
|---|---:|---:|---:|
| before the deadline | {o["before"]} | {o["before"] - o["refused_before"]} | {o["refused_before"]} |
| after the deadline | {o["after"]} | {o["accepted_after"]} | {o["after"] - o["accepted_after"]} |

Decided exactly: {"yes ✅" if exact else "no ❌"} (lost: {o["lost"]}); {mail}.
Latency: p50 {o["p50"]:.2f} s, p95 {o["p95"]:.2f} s (target < {P95_TARGET_S:.0f} s) \
{"✅" if o["p95"] < P95_TARGET_S else "❌"}, max {o["max"]:.2f} s. p95 by second of the rush: {by_second}.
"""


if __name__ == "__main__":
    sys.exit(main())
