"""The side-by-side benchmark's harness runs end to end (bench/pages.py --quick): both servers start, every page
answers 200 on tiny data, the table is printed. Not a timed test: no figure is checked, so the harness cannot rot
without a test failing. About 30 s on an idle machine (a fresh database, two gunicorns), up to a minute on a
busy one."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db]
ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_run_serves_every_page_on_both_sides():
    if connection.vendor != "postgresql":
        pytest.skip("The benchmark runs on PostgreSQL (gunicorn, like production).")
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    settings = connection.settings_dict
    environment["DATABASE_URL"] = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/postgres"
    )
    run = subprocess.run(
        [sys.executable, "bench/pages.py", "--quick", "--database", f"ami_bench_smoke_{os.getpid()}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "| review dashboard | logged-in 50-row list with a join |" in run.stdout
    assert "Answers other than 200" not in run.stdout
