"""Redis down (cache and broker): an official still submits and invites, at once; the e-mails wait in the outbox
and leave once when Redis is back.

A real redis-server of our own (never the shared one) is the cache and the broker, then stopped. No mock: the
cache backend, Celery's publishing and the outbox are the production ones.
"""

import time
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.models import DossierInvitation, Submission
from applications.states import DossierStatus
from notifications.models import EmailKind, OutboxMessage, OutboxStatus
from notifications.services import sweep_outbox
from tests.factories import DossierFactory

from .conftest import _reset_producer_pool

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Generous: with Redis down the request made ~20 s of broker and result-backend retries before the fix.
FAST = 3.0


@pytest.fixture
def redis_down(settings, own_redis):
    """The cache and the broker point at our redis-server, which is then stopped; restarted afterwards."""
    from ami_portal.celery import app

    settings.CACHES = {
        "default": {
            "BACKEND": "ami_portal.cache.DegradingRedisCache",
            "LOCATION": own_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = own_redis.url
    settings.CELERY_RESULT_BACKEND = own_redis.url  # as in production: results would go to Redis too
    _reset_producer_pool(app)
    app._local.__dict__.pop("backend", None)
    own_redis.stop()
    yield own_redis
    if own_redis.process is None:
        own_redis.start()
    _reset_producer_pool(app)
    app._local.__dict__.pop("backend", None)


def redis_back(settings, own_redis):
    """Redis is up again; the worker's sends run in this process (the real-worker path is test_worker.py)."""
    from ami_portal.celery import app

    own_redis.start()
    _reset_producer_pool(app)
    settings.CELERY_TASK_ALWAYS_EAGER = True


def submittable_dossier():
    return DossierFactory(complete=True)


def post_and_commit(client, url, data, capture):
    """POST, then run what the request's commit queued (a real request runs it before answering); seconds taken."""
    started = time.monotonic()
    with capture(execute=True):
        response = client.post(url, data)
    return response, time.monotonic() - started


def test_submission_while_redis_is_down_succeeds_at_once_and_its_receipt_waits_in_the_outbox(
    client, redis_down, django_capture_on_commit_callbacks
):
    dossier = submittable_dossier()
    client.force_login(dossier.owner)
    url = reverse("applications:submit", kwargs={"pk": dossier.pk})
    data = {"wave": dossier.wave_id, "token": uuid.uuid4()}
    response, seconds = post_and_commit(client, url, data, django_capture_on_commit_callbacks)

    submission = Submission.objects.get(dossier=dossier)
    assert response.status_code == 302
    assert response.url == reverse("applications:receipt", kwargs={"pk": dossier.pk, "submission_pk": submission.pk})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    [receipt] = OutboxMessage.objects.filter(kind=EmailKind.RECEIPT)
    assert (receipt.status, receipt.recipient) == (OutboxStatus.READY, dossier.owner.email)
    assert seconds < FAST, f"the submission took {seconds:.1f} s with Redis down"


def test_invitation_while_redis_is_down_answers_at_once_and_leaves_once_when_redis_is_back(
    client, settings, redis_down, django_capture_on_commit_callbacks
):
    dossier = submittable_dossier()
    client.force_login(dossier.owner)
    url = reverse("applications:team", kwargs={"pk": dossier.pk})
    response, seconds = post_and_commit(client, url, {"email": "collegue@ville.fr"}, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert seconds < FAST, f"the invitation took {seconds:.1f} s with Redis down"
    assert DossierInvitation.objects.filter(dossier=dossier, email="collegue@ville.fr").exists()
    message = OutboxMessage.objects.get(kind=EmailKind.INVITATION)
    assert message.status == OutboxStatus.READY
    assert mail.outbox == []

    redis_back(settings, redis_down)
    later = timezone.now() + timedelta(seconds=settings.OUTBOX_UNSENT_GRACE + 1)
    assert sweep_outbox(now=later) == [message.pk]
    assert sweep_outbox(now=later) == []  # a second sweep (or a second beat) finds nothing left to send

    assert [sent.to for sent in mail.outbox] == [["collegue@ville.fr"]]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


def test_cache_reads_as_empty_and_writes_are_dropped_while_redis_is_down(redis_down, caplog):
    from django.core.cache import cache

    assert cache.get("outline", "missing") == "missing"
    assert cache.add("submit-token:x", 1) is True  # "stored": the caller goes on, the database guards the rest
    cache.set("outline", [1, 2])
    assert cache.get_many(["outline"]) == {}
    assert "Cache unavailable" in caplog.text
