"""In CI (``CI=true``, set by ``.ci/run``) the environment is complete: PostgreSQL, Redis, a Celery worker, chromium.

There, a test marked ``postgres``, ``celery_worker`` or ``browser`` that skips (no PostgreSQL, no redis-server...)
FAILS instead, with the skip's reason: a CI run that silently skipped them would prove nothing. Elsewhere (a
developer's SQLite run) they still skip, saying why. The hook below is imported by tests/conftest.py.
"""

import os

import pytest

ENVIRONMENT_MARKERS = ("postgres", "celery_worker", "browser", "oidc_provider")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and in_ci()) or hasattr(report, "wasxfail"):
        return
    markers = [name for name in ENVIRONMENT_MARKERS if item.get_closest_marker(name)]
    if markers:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"CI=true: a test marked {', '.join(markers)} must run, but it skipped: {reason}"
