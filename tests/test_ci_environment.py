"""With CI=true a skipped test marked postgres / celery_worker / browser fails; without it, it skips."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SAMPLE = """
import pytest

@pytest.mark.postgres
def test_marked_postgres():
    pytest.skip("needs PostgreSQL")

@pytest.mark.browser
def test_marked_browser():
    pytest.skip("no chromium")

def test_unmarked():
    pytest.skip("optional")

@pytest.mark.postgres
@pytest.mark.xfail(reason="known", strict=True)
def test_marked_and_expected_to_fail():
    assert False
"""
CONFTEST = "from tests.ci_environment import pytest_runtest_makereport  # noqa: F401\n"
INI = "[pytest]\nmarkers =\n    postgres: x\n    browser: x\n"


def _run(tmp_path, ci: str | None) -> str:
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "pytest.ini").write_text(INI)
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PYTHONPATH"] = str(ROOT)
    if ci is not None:
        env["CI"] = ci
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-rA", "-q", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout


@pytest.mark.parametrize("ci", ["true", "TRUE"])
def test_in_ci_skipped_environment_tests_fail_with_their_reason(tmp_path, ci):
    output = _run(tmp_path, ci)
    assert "2 failed, 1 skipped, 1 xfailed" in output, output
    assert "CI=true: a test marked postgres must run, but it skipped: needs PostgreSQL" in output
    assert "CI=true: a test marked browser must run, but it skipped: no chromium" in output


@pytest.mark.parametrize("ci", [None, "false"])
def test_outside_ci_they_skip(tmp_path, ci):
    output = _run(tmp_path, ci)
    assert "3 skipped, 1 xfailed" in output, output
