"""Against a real Celery worker, a private Redis and a loopback SMTP server: every e-mail arrives exactly once.

Needs PostgreSQL (the worker shares the test database); skipped on SQLite with the reason.
"""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from applications.states import DossierStatus
from applications.tasks import task_send_reminders, task_sweep_wave_events
from notifications.models import EmailKind, OutboxMessage, OutboxStatus
from notifications.services import queue_email
from notifications.tasks import task_sweep_outbox
from tests.factories import CampaignFactory, DossierFactory, UserFactory, WaveFactory

from .conftest import wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CONTEXT = {"verify_url": "https://ami.example/verify/abc"}


def queue_committed(user, key="verify:1"):
    with transaction.atomic():
        return queue_email(kind=EmailKind.VERIFY_EMAIL, key=key, recipient=user, context=CONTEXT)


def status_of(message):
    message.refresh_from_db()
    return message.status


def no_more_mail_for(seconds: float):
    """Let the worker finish anything still in flight before counting."""
    time.sleep(seconds)


def test_committed_message_is_delivered_by_the_worker_with_its_message_id(broker, smtp_sink):
    message = queue_committed(UserFactory(email="maire@ville.fr"))
    [received] = smtp_sink.wait_for(1)
    assert received["To"] == "maire@ville.fr"
    assert received["Message-ID"] == message.message_id
    assert received["Subject"] == "Confirmez votre adresse électronique"
    wait_until(lambda: status_of(message) == OutboxStatus.SENT, timeout=10, message="SENT")


def test_reminder_task_run_twice_sends_one_reminder_and_none_for_a_submitted_dossier(broker, smtp_sink):
    now = timezone.now()
    wave = WaveFactory(
        opens_at=now - timedelta(days=20), closes_at=now + timedelta(days=2), publishes_at=now + timedelta(days=30)
    )
    draft = DossierFactory(wave=wave)
    DossierFactory(wave=wave, status=DossierStatus.SUBMITTED)
    task_send_reminders.delay()
    task_send_reminders.delay()
    [received] = smtp_sink.wait_for(1)
    no_more_mail_for(3)
    assert len(smtp_sink.messages()) == 1
    assert received["To"] == draft.owner.email
    assert received["Subject"] == f"Plus que 3 jours pour déposer le dossier {draft.reference}"


def test_wave_closing_task_run_twice_sends_each_summary_once(broker, smtp_sink):
    now = timezone.now()
    campaign = CampaignFactory()
    wave = WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(minutes=1),
        publishes_at=now + timedelta(days=30),
    )
    DossierFactory(wave=wave, status=DossierStatus.SUBMITTED)
    coordinators = [UserFactory(is_staff=True), UserFactory(is_staff=True)]
    group, _ = Group.objects.get_or_create(name=Role.COORDINATOR)
    group.user_set.add(*coordinators)
    task_sweep_wave_events.delay()
    task_sweep_wave_events.delay()
    smtp_sink.wait_for(2)
    no_more_mail_for(3)
    summaries = smtp_sink.messages()
    assert sorted(m["To"] for m in summaries) == sorted(c.email for c in coordinators)
    assert all(m["Subject"] == "Vague 1 close : 1 dossier déposé" for m in summaries)
    wave.refresh_from_db()
    assert wave.closed_effects_done_at is not None


def test_worker_killed_mid_send_neither_loses_nor_doubles_the_message(broker, smtp_sink, celery_worker):
    smtp_sink.stall()
    message = queue_committed(UserFactory(email="dgs@ville.fr"))
    smtp_sink.wait_stalled()
    assert status_of(message) == OutboxStatus.SENDING
    celery_worker.kill()  # SIGKILL while the SMTP transaction is open (before DATA): nothing was delivered
    smtp_sink.release()
    celery_worker.start()
    # The row stays SENDING until it is older than the (test) timeout of 5 s; then the sweep hands it out again.
    wait_until(
        lambda: timezone.now() - OutboxMessage.objects.get(pk=message.pk).sending_started_at > timedelta(seconds=5.5),
        timeout=15,
        message="the row to be abandoned",
    )
    task_sweep_outbox.delay()
    [received] = smtp_sink.wait_for(1)
    no_more_mail_for(7)  # past the broker's visibility timeout: a redelivered task must not send it again
    assert len(smtp_sink.messages()) == 1
    assert received["Message-ID"] == message.message_id
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)


def test_message_committed_while_redis_is_down_leaves_once_redis_is_back(broker, smtp_sink, own_redis):
    from ami_portal.celery import app

    from .conftest import _reset_producer_pool

    own_redis.stop()
    try:
        started = time.monotonic()
        message = queue_committed(UserFactory(email="elu@ville.fr"))  # the commit succeeds, the enqueue fails
        assert time.monotonic() - started < 20
        assert status_of(message) == OutboxStatus.READY
        time.sleep(1.5)
        assert smtp_sink.messages() == []
    finally:
        own_redis.start()
    _reset_producer_pool(app)
    task_sweep_outbox.delay()  # what beat does every minute
    [received] = smtp_sink.wait_for(1, timeout=60)
    assert received["To"] == "elu@ville.fr"
    wait_until(lambda: status_of(message) == OutboxStatus.SENT, timeout=10, message="SENT")
