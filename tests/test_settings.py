"""Settings come from the environment, with embedded defaults that need nothing installed."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "from ami_portal.celery import app; "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], 'name': str(settings.DATABASES['default']['NAME']),"
    " 'eager': app.conf.task_always_eager, 'broker': app.conf.broker_url, 'lang': settings.LANGUAGE_CODE,"
    " 'tz': settings.TIME_ZONE, 'email': settings.EMAIL_BACKEND}))"
)


def _settings_with(env: dict) -> dict:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="ami_portal.settings.base")
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_embedded_defaults_use_sqlite_eager_tasks_and_console_mail():
    conf = _settings_with({})
    assert conf["engine"] == "django.db.backends.sqlite3"
    assert conf["name"].endswith("db.sqlite3")
    assert conf["eager"] is True
    assert conf["email"] == "django.core.mail.backends.console.EmailBackend"


def test_french_first_in_paris_time():
    conf = _settings_with({})
    assert (conf["lang"], conf["tz"]) == ("fr", "Europe/Paris")


def test_database_url_selects_postgresql():
    conf = _settings_with({"DATABASE_URL": "postgres://ami:secret@db.example:5432/ami"})
    assert conf["engine"] == "django.db.backends.postgresql"
    assert conf["name"] == "ami"


def test_redis_url_selects_a_real_broker():
    conf = _settings_with({"REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert conf["eager"] is False
    assert conf["broker"] == "redis://127.0.0.1:6379/3"


def test_email_url_configures_smtp():
    conf = _settings_with({"EMAIL_URL": "smtp://user:pw@smtp.example:587"})
    assert conf["email"] == "django.core.mail.backends.smtp.EmailBackend"


def _db_connection_settings(env: dict) -> dict:
    probe = (
        "import json, django; from django.conf import settings; django.setup(); "
        "d = settings.DATABASES['default']; print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CONN_MAX_AGE"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="ami_portal.settings.base")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=clean, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_database_url_keeps_connections_for_60_seconds_with_health_checks():
    assert _db_connection_settings({"DATABASE_URL": "postgres://ami:secret@db.example:5432/ami"}) == [60, True]


def test_conn_max_age_comes_from_the_environment():
    env = {"DATABASE_URL": "postgres://ami:secret@db.example:5432/ami", "CONN_MAX_AGE": "300"}
    assert _db_connection_settings(env) == [300, True]
