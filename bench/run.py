#!/usr/bin/env python
"""Benchmark: SQL queries and time per page as the number of dossiers grows.

Usage: make bench   (or .venv/bin/python bench/run.py [--sizes 20,200,1000])

Runs on DATABASE_URL when set, else on a throw-away PostgreSQL database on 127.0.0.1 (dropped at the end) when
the server answers, else on a throw-away SQLite file. For every page the query count must stay the same whatever
the number of rows (lists paginate, exports stream); the script exits 1 if it grows. The growth table of the review
pages (dashboard, ranking, dossier lists at 300 / 1,200 / 5,000 reviewed dossiers) is written to bench/RESULTS.md.
"""

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup_django():
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = THROWAWAY or f"sqlite:///{tempfile.mkdtemp(prefix='ami-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ami_portal.settings.test")
    os.environ.setdefault("AXES_ENABLED", "False")
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_world():
    """A published wave, a coordinator, a press user, a reviewer of the dossiers' région, an official."""
    from datetime import timedelta

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.roles import Role
    from tests.factories import RegionFactory, UserFactory, WaveFactory, official, reviewer

    now = timezone.now()
    wave = WaveFactory(
        campaign__slug="bench",
        number=1,
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=30),
        publishes_at=now - timedelta(days=1),
    )
    region = RegionFactory(code="27", name="Bourgogne-Franche-Comté")

    def member(user, role):
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        return user

    users = {
        "anonymous": None,
        "official": official(),
        "press": member(UserFactory(), Role.PRESS),
        "coordinator": member(UserFactory(is_staff=True), Role.COORDINATOR),
        "reviewer": member(reviewer(region), Role.REGIONAL_REVIEWER),
    }
    return wave, region, users


def grow_to(size, wave, region):
    """Add laureate dossiers (with communes in ``region``) until the wave has ``size`` of them."""
    from applications.models import Dossier
    from applications.states import DossierStatus
    from tests.factories import CommuneFactory, DepartementFactory, DossierFactory

    departement = DepartementFactory(code="71", name="Saône-et-Loire", region=region)
    for _ in range(size - Dossier.objects.filter(wave=wave).count()):
        DossierFactory(
            wave=wave,
            commune=CommuneFactory(departement=departement),
            status=DossierStatus.LAUREATE,
            decided_at=wave.closes_at,
        )


# Streamed exports read the rows in chunks (bounded memory): one more prefetch query per chunk is expected.
STREAM_CHUNK = {"open data CSV (streamed)": 500}

PAGES = [
    # (label, role, url name, kwargs)
    ("public home", "anonymous", "home", {}),
    ("public results of the campaign", "anonymous", "results-campaign", {"slug": "bench"}),
    ("public network of antennas", "anonymous", "network:overview", {}),
    ("open data CSV (streamed)", "anonymous", "opendata-csv", {}),
    ("press wave list", "press", "press-wave", {"slug": "bench", "number": 1}),
    ("admin dossier list (coordinator)", "coordinator", "admin:applications_dossier_changelist", {}),
    ("admin dossier list (reviewer)", "reviewer", "admin:applications_dossier_changelist", {}),
    ("official home", "official", "applications:home", {}),
    ("admin dashboard (coordinator)", "coordinator", "admin:applications_dossier_dashboard", {}),
    ("admin wave ranking (coordinator)", "coordinator", "admin:applications_dossier_ranking", {"wave_id": None}),
]


WAVE_ID = None  # set once the world is built
THROWAWAY = None  # a PostgreSQL database made for this run, when the server answers
GROWTH = {}  # the review growth table, for bench/RESULTS.md

# --- review growth: the dashboard and the wave ranking with reviewed dossiers (issue 13) ---------------------

REVIEW_PAGES = [
    # (label, who looks, url name)
    ("admin dashboard", "coordinator", "admin:applications_dossier_dashboard"),
    ("admin wave ranking (page 1)", "coordinator", "admin:applications_dossier_ranking"),
    ("admin dossier list (coordinator)", "coordinator", "admin:applications_dossier_changelist"),
    ("admin dossier list (reviewer)", "reviewer", "admin:applications_dossier_changelist"),
]


def build_review_world(region, coordinator):
    """A closed wave with a three-criterion grid and two reviewers of ``region``."""
    from datetime import timedelta

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.roles import Role
    from reviews.models import Criterion, ScoringGrid
    from tests.factories import WaveFactory, reviewer

    now = timezone.now()
    wave = WaveFactory(
        campaign__slug="bench-review",
        number=1,
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=10),
        publishes_at=now + timedelta(days=30),
    )
    grid = ScoringGrid.objects.create(campaign=wave.campaign)
    criteria = [
        Criterion.objects.create(grid=grid, label=f"C{i}", weight=i, max_points=5 * i, position=i) for i in (1, 2, 3)
    ]
    group = Group.objects.get_or_create(name=Role.REGIONAL_REVIEWER)[0]
    reviewers = [reviewer(region) for _ in range(2)]
    for person in reviewers:
        person.groups.add(group)
    return wave, criteria, reviewers


def grow_reviewed_to(size, wave, region, criteria, reviewers):
    """Bulk-add dossiers under review, each with two completed reviews, until ``wave`` has ``size`` of them."""
    from django.utils import timezone

    from applications.models import Dossier
    from applications.states import DossierStatus
    from cities.models import Commune
    from cities.text import normalize_search_text
    from reviews.models import Review, ReviewStatus, Score
    from reviews.services import store_review_scores
    from tests.factories import DepartementFactory

    have = Dossier.objects.filter(wave=wave).count()
    if size <= have:
        return
    now = timezone.now()
    departement = DepartementFactory(region=region)
    communes = Commune.objects.bulk_create(
        [
            Commune(
                insee_code=f"R{n:04d}",
                name=f"Bourg {n}",
                search_name=normalize_search_text(f"Bourg {n}"),
                departement=departement,
                region=region,
                population=1000 + n,
            )
            for n in range(have, size)
        ]
    )
    dossiers = Dossier.objects.bulk_create(
        [
            Dossier(
                campaign=wave.campaign,
                wave=wave,
                reference=f"AMI-REV-{n:05d}",
                commune=commune,
                region=region,
                status=DossierStatus.UNDER_REVIEW,
                submitted_at=now,
            )
            for n, commune in zip(range(have, size), communes, strict=True)
        ]
    )
    reviews = Review.objects.bulk_create(
        [
            Review(dossier=d, reviewer=r, status=ReviewStatus.COMPLETED, completed_at=now)
            for d in dossiers
            for r in reviewers
        ]
    )
    Score.objects.bulk_create(
        [
            Score(review=review, criterion=c, points=(review.pk * 7 + c.pk) % (c.max_points + 1))
            for review in reviews
            for c in criteria
        ]
    )
    store_review_scores(reviews=reviews)  # as services.complete_review does


def review_growth(sizes, region, users) -> int:
    """Queries and time of the dashboard and the ranking as reviewed dossiers grow; 1 if a query count grows."""
    from django.test import Client

    wave, criteria, reviewers = build_review_world(region, users["coordinator"])
    clients = {"coordinator": Client(), "reviewer": Client()}
    clients["coordinator"].force_login(users["coordinator"])
    clients["reviewer"].force_login(reviewers[0])
    results = {}
    for size in sizes:
        grow_reviewed_to(size, wave, region, criteria, reviewers)
        for label, role, name in REVIEW_PAGES:
            kwargs = {"wave_id": wave.pk} if "ranking" in name else {}
            results.setdefault(label, {})[size] = measure(clients.get, label, role, name, kwargs)
    print(f"\n{'reviewed dossiers (2 reviews each)':<36}" + "".join(f"{f'{s} rows':>22}" for s in sizes))
    growing = []
    for label, by_size in results.items():
        print(f"{label:<36}" + "".join(f"{f'{r[0]} {r[1]:>3} q {r[2]:>7.0f} ms':>22}" for r in by_size.values()))
        if len({r[1] for r in by_size.values()}) > 1:
            growing.append(label)
    GROWTH.update(sizes=sizes, results=results)
    if growing:
        print("Query count grows with the number of reviewed dossiers on: " + ", ".join(growing))
        return 1
    print("Query counts of the dashboard and the ranking are constant.")
    return 0


def measure(client_for, label, role, name, kwargs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    kwargs = {key: (WAVE_ID if value is None else value) for key, value in kwargs.items()}
    try:
        url = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None
    client = client_for(role)
    client.get(url)  # warm-up: caches (map outline, content types, sessions) are filled once, not per row
    timings = []
    for _ in range(3):  # the median of three: one request on a busy machine says little
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
    return response.status_code, len(queries), sorted(timings)[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,200,1000")
    parser.add_argument(
        "--review-sizes",
        default="300,1200,5000",
        help="reviewed dossiers for the dashboard/ranking growth table ('' to skip)",
    )
    parser.add_argument("--no-write", action="store_true", help="do not write the growth table to bench/RESULTS.md")
    arguments = parser.parse_args()
    sizes = [int(s) for s in arguments.sizes.split(",")]
    review_sizes = [int(s) for s in arguments.review_sizes.split(",") if s]
    global THROWAWAY
    throwaway_name = None
    if "DATABASE_URL" not in os.environ:
        THROWAWAY, throwaway_name = postgres_if_reachable()
    try:
        status = measure_all(sizes, review_sizes)
    finally:
        if throwaway_name:
            from django.db import connections

            connections.close_all()
            from rush import drop_database

            drop_database(throwaway_name)
    if GROWTH and not arguments.no_write:
        from pages import write_section

        write_section("growth", growth_markdown())
        print("Growth table written to bench/RESULTS.md")
    return status


def postgres_if_reachable() -> tuple[str | None, str | None]:
    """A throw-away PostgreSQL database on 127.0.0.1 (what production runs), else None (SQLite)."""
    from rush import throwaway_database

    try:
        return throwaway_database()
    except Exception as error:  # noqa: BLE001 - no server: the embedded SQLite file
        print(f"No PostgreSQL on 127.0.0.1 ({error.__class__.__name__}): measuring on SQLite.")
        return None, None


def growth_markdown() -> str:
    from django.db import connection

    sizes, results = GROWTH["sizes"], GROWTH["results"]
    lines = [
        "## Growth: time and SQL queries per page as reviewed dossiers grow",
        "",
        f"`bench/run.py` on {connection.vendor}, Django's test client in one process (no HTTP), "
        f"two completed reviews per dossier, median of 3 requests, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "| page | " + " | ".join(f"{size:,} dossiers" for size in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for label, by_size in results.items():
        lines.append(
            f"| {label} | " + " | ".join(f"{by_size[s][2]:.0f} ms, {by_size[s][1]} queries" for s in sizes) + " |"
        )
    return "\n".join(lines) + "\n"


def measure_all(sizes, review_sizes) -> int:
    setup_django()
    from django.test import Client

    wave, region, users = build_world()
    global WAVE_ID
    WAVE_ID = wave.pk

    def client_for(role):
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    results = {}
    for size in sizes:
        grow_to(size, wave, region)
        for label, role, name, kwargs in PAGES:
            results.setdefault(label, {})[size] = measure(client_for, label, role, name, kwargs)

    print(f"{'page':<36}" + "".join(f"{f'{s} rows':>22}" for s in sizes))
    growing = []
    for label, by_size in results.items():
        cells = []
        for size in sizes:
            r = by_size[size]
            cells.append("n/a" if r is None else f"{r[0]} {r[1]:>3} q {r[2]:>7.0f} ms")
        print(f"{label:<36}" + "".join(f"{c:>22}" for c in cells))
        measured = [(s, by_size[s][1]) for s in sizes if by_size[s] is not None]
        chunk = STREAM_CHUNK.get(label)
        allowed = [(math.ceil(s / chunk) - math.ceil(measured[0][0] / chunk)) if chunk else 0 for s, _ in measured]
        if any(count - measured[0][1] > extra for (_, count), extra in zip(measured, allowed, strict=True)):
            growing.append(label)
    if growing:
        print("\nQuery count grows with the number of rows on: " + ", ".join(growing))
    else:
        print("\nQuery counts are constant on every page.")
    review_status = review_growth(review_sizes, region, users) if review_sizes else 0
    return 1 if growing or review_status else 0


if __name__ == "__main__":
    sys.exit(main())
