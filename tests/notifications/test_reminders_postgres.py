"""Two reminder runs at once (two beats started by mistake) remind each draft once and do the work once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from applications.domain import lifecycle
from applications.models import DossierMember, DossierReminder
from notifications.models import EmailKind, OutboxMessage
from tests.factories import DossierFactory, UserFactory, WaveFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DRAFTS = 12


def run_twice_at_once(now) -> list[int]:
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def beat():
        try:
            barrier.wait(timeout=10)
            counts.append(lifecycle.send_reminders(now=now))
        except Exception as error:  # reported below: a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return counts


def test_two_simultaneous_reminder_runs_queue_each_reminder_once_and_remind_each_draft_once():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent runs need PostgreSQL (SQLite serialises writers on its own).")
    now = timezone.now()
    wave = WaveFactory(
        opens_at=now - timedelta(days=20), closes_at=now + timedelta(days=2), publishes_at=now + timedelta(days=30)
    )
    drafts = [DossierFactory(wave=wave) for _ in range(DRAFTS)]
    for draft in drafts[:3]:
        DossierMember.objects.create(dossier=draft, user=UserFactory(), added_by=draft.owner)

    counts = run_twice_at_once(now)

    assert len(counts) == 2 and sum(counts) == DRAFTS  # each draft reminded by exactly one of the two runs
    assert DossierReminder.objects.filter(wave=wave, threshold="3d").count() == DRAFTS
    reminders = OutboxMessage.objects.filter(kind=EmailKind.REMINDER)
    expected = sorted([d.owner.email for d in drafts] + [m.user.email for m in DossierMember.objects.all()])
    assert sorted(reminders.values_list("recipient", flat=True)) == expected


def test_a_later_run_reminds_nobody_again_but_reminds_a_new_draft():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent runs need PostgreSQL (SQLite serialises writers on its own).")
    now = timezone.now()
    wave = WaveFactory(
        opens_at=now - timedelta(days=20), closes_at=now + timedelta(days=2), publishes_at=now + timedelta(days=30)
    )
    DossierFactory(wave=wave)
    assert lifecycle.send_reminders(now=now) == 1
    late = DossierFactory(wave=wave)
    assert lifecycle.send_reminders(now=now + timedelta(minutes=15)) == 1
    assert lifecycle.send_reminders(now=now + timedelta(minutes=30)) == 0
    assert OutboxMessage.objects.filter(kind=EmailKind.REMINDER, recipient=late.owner.email).count() == 1
