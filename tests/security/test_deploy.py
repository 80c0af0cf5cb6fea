"""The production profile: ``check --deploy`` is clean, HTTPS is enforced, cookies are Secure and HttpOnly."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("production_probe.py")


def _production_env(**extra) -> dict:
    # The browser tests allow async-unsafe ORM calls in the test process: never in a deployment.
    dropped = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="ami_portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="ami.example.fr",
        CSRF_TRUSTED_ORIGINS="https://ami.example.fr",
        SITE_URL="https://ami.example.fr",
        DATABASE_URL="sqlite://:memory:",
        **extra,
    )
    return env


@pytest.fixture(scope="module")
def production_response():
    out = subprocess.run(
        [sys.executable, str(PROBE)], cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-4000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_no_issues_in_the_production_profile():
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues" in out.stdout, out.stdout + out.stderr


def test_production_profile_refuses_the_embedded_development_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


def test_plain_http_is_redirected_to_https(production_response):
    assert production_response["plain_status"] == 301
    assert production_response["plain_location"].startswith("https://ami.example.fr/")


def test_hsts_is_sent_over_https_for_a_year_with_subdomains(production_response):
    hsts = production_response["home_headers"].get("Strict-Transport-Security", "")
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_csrf_cookie_is_secure_and_httponly_in_production(production_response):
    cookie = production_response["home_cookies"][production_response["csrf_cookie_name"]]
    assert cookie["secure"] and cookie["httponly"]


def test_session_cookie_is_secure_and_httponly_in_production(production_response):
    assert production_response["login_status"] == 302, "the probe's admin log-in should succeed"
    cookie = production_response["login_cookies"][production_response["session_cookie_name"]]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
