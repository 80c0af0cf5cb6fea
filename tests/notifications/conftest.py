"""Real processes for the notification tests: a loopback SMTP server, a private Redis, a Celery worker.

The worker runs ``.venv/bin/celery -A ami_portal worker --pool=solo`` against the SAME PostgreSQL test database
as the test (``@pytest.mark.django_db(transaction=True)``, so what the test writes is committed and visible).
"""

import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")


def stop_process(process: subprocess.Popen, *, sig=signal.SIGTERM, timeout: float = 10) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


class SmtpSink:
    """The SMTP server process (tests/notifications/smtp_sink.py) and the messages it accepted."""

    def __init__(self, spool: Path):
        self.spool, self.port, self.process = spool, free_port(), None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(Path(__file__).with_name("smtp_sink.py")), str(self.port), str(self.spool)],
            cwd=self.spool,
        )
        wait_until(lambda: (self.spool / "ready").exists(), timeout=15, message="the SMTP server")

    def stop(self):
        if self.process:
            stop_process(self.process)

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self.spool.glob("*.eml"))
        ]

    def wait_for(self, count: int, *, timeout: float = 30) -> list:
        return wait_until(
            lambda: len(self.messages()) >= count and self.messages(),
            timeout=timeout,
            message=f"{count} message(s) at the SMTP server",
        )

    def clear(self):
        for path in [*self.spool.glob("*.eml"), *self.spool.glob("answer-*"), *self.spool.glob("answered-*")]:
            path.unlink()
        self.release()

    def answer(self, command: str, *answers: str):
        """The next ``command`` ("MAIL", "RCPT", "DATA") commands get these answers, in order, then go on normally."""
        (self.spool / f"answer-{command}").write_text("\n".join(answers))

    def answered(self, command: str) -> list[str]:
        """The scripted answers the server gave to ``command``."""
        path = self.spool / f"answered-{command}"
        return path.read_text().splitlines() if path.exists() else []

    def stall(self):
        (self.spool / "stalled").unlink(missing_ok=True)
        (self.spool / "stall").touch()

    def wait_stalled(self, *, timeout: float = 30):
        wait_until(lambda: (self.spool / "stalled").exists(), timeout=timeout, message="a client stuck at RCPT")

    def release(self):
        (self.spool / "stall").unlink(missing_ok=True)


class RedisServer:
    """Our own redis-server on its own port: stopping it never touches the machine's shared Redis."""

    def __init__(self, workdir: Path):
        self.port, self.workdir, self.process = free_port(), workdir, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self.ping, timeout=15, message="redis-server")

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def stop(self):
        if self.process:
            stop_process(self.process)
            self.process = None


class CeleryWorker:
    """``celery -A ami_portal worker --pool=solo`` on the test database, our Redis and our SMTP server."""

    def __init__(self, *, database_url: str, broker_url: str, smtp_port: int, log: Path):
        self.log, self.process = log, None
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ami_portal.settings.test",
            "DATABASE_URL": database_url,
            "REDIS_URL": broker_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_RESULT_BACKEND": "",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_TIMEOUT": "4",
            # A SENDING row is considered abandoned after 5 s (the production default is 10 minutes).
            "OUTBOX_SENDING_TIMEOUT": "5",
            "OUTBOX_UNSENT_GRACE": "1",
            "CELERY_VISIBILITY_TIMEOUT": "5",
            "AXES_ENABLED": "false",
        }

    def start(self):
        offset = self.log.stat().st_size if self.log.exists() else 0
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "celery"),
                "-A",
                "ami_portal",
                "worker",
                "--pool=solo",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"notify-test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: b"ready." in self.log.read_bytes()[offset:] or self.process.poll() is not None,
            timeout=60,
            message="the Celery worker",
        )
        assert self.process.poll() is None, self.log.read_text()[-3000:]

    def kill(self):
        """SIGKILL: no warm shutdown, no acknowledgement, nothing written back."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self):
        if self.process:
            stop_process(self.process, timeout=20)


@pytest.fixture(scope="module")
def smtp_sink(tmp_path_factory):
    sink = SmtpSink(tmp_path_factory.mktemp("smtp"))
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker, own_redis, smtp_sink, tmp_path_factory):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the worker subprocess must share the test database "
            "(set DATABASE_URL=postgres://..., SQLite in memory cannot be shared)"
        )
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    worker = CeleryWorker(
        database_url=database_url,
        broker_url=own_redis.url,
        smtp_port=smtp_sink.port,
        log=tmp_path_factory.mktemp("worker") / "worker.log",
    )
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def broker(settings, celery_worker, own_redis, smtp_sink):
    """The test process publishes to our Redis (not eagerly), and starts from an empty mailbox."""
    from ami_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = own_redis.url
    settings.CELERY_RESULT_BACKEND = None
    settings.CELERY_BROKER_CONNECTION_TIMEOUT = 1
    _reset_producer_pool(app)
    smtp_sink.clear()
    yield own_redis
    _reset_producer_pool(app)


def _reset_producer_pool(app):
    """Forget connections made to another broker URL (kept by Celery in its pools)."""
    from kombu import pools

    pools.reset()  # closes and forgets every kombu connection/producer pool of this process
    app._pool = None
    app.amqp._producer_pool = None
