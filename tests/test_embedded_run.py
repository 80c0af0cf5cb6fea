"""`make run` without Redis: a real Celery worker on the embedded filesystem broker does the after-effects, through
the same code paths as production (here: an e-mail queued in the outbox is sent by the worker, once)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

QUEUE_ONE_EMAIL = """
from django.db import transaction
from accounts.models import User
from notifications.models import EmailKind
from notifications.services import queue_email
user = User.objects.create(email="maire@ville.fr", is_active=True)
with transaction.atomic():
    queue_email(kind=EmailKind.VERIFY_EMAIL, key="verify:embedded", recipient=user,
                context={"verify_url": "http://127.0.0.1:8000/verify/abc"})
"""


@pytest.fixture
def embedded_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ami_portal.settings.base",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        CELERY_BROKER_URL="filesystem://",
        CELERY_BROKER_FOLDER=str(tmp_path / "broker"),
        EMAIL_URL="filemail://",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    return env


def test_worker_on_the_embedded_broker_sends_a_queued_email_once(embedded_env, tmp_path):
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ami_portal",
            "worker",
            "-l",
            "warning",
            "--concurrency",
            "1",
            "-P",
            "solo",
        ],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "worker.log", "w"),
    )
    try:
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", QUEUE_ONE_EMAIL], cwd=ROOT, env=embedded_env, check=True
        )
        mail = tmp_path / "mail"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (mail.exists() and any(mail.iterdir())):
            time.sleep(0.5)
        files = list(mail.iterdir()) if mail.exists() else []
        assert len(files) == 1, (tmp_path / "worker.log").read_text()[-2000:]
        assert "maire@ville.fr" in files[0].read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=20)
