"""Two simultaneous submit clicks make exactly one submission (row lock + status check), on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections, transaction

from applications.domain.submission import SubmissionRefused, submit_dossier
from applications.models import Submission
from tests.factories import DossierFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_create_exactly_one():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises writers on its own.")
    dossier = DossierFactory(complete=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            barrier.wait(timeout=10)
            outcomes.append(submit_dossier(dossier.__class__.objects.get(pk=dossier.pk), by=dossier.owner))
        except SubmissionRefused as refusal:
            outcomes.append(refusal)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert Submission.objects.filter(dossier=dossier).count() == 1
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Submission", "SubmissionRefused"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_submission_in_progress_does_not_hold_the_other_dossiers_of_its_campaign():
    """The lock is on the dossier's row only: at a deadline rush, submissions of one campaign run side by side."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises writers on its own.")
    first = DossierFactory(complete=True)
    second = DossierFactory(complete=True, campaign=first.campaign, wave=first.wave)
    first_holds_its_lock, second_done = threading.Event(), threading.Event()
    outcomes = {}

    def submit_first_and_wait():
        try:
            with transaction.atomic():
                outcomes["first"] = submit_dossier(first.__class__.objects.get(pk=first.pk), by=first.owner)
                first_holds_its_lock.set()
                second_done.wait(timeout=10)
        finally:
            connections.close_all()

    def submit_second():
        try:
            first_holds_its_lock.wait(timeout=10)
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")
            outcomes["second"] = submit_dossier(second.__class__.objects.get(pk=second.pk), by=second.owner)
        except Exception as error:  # a lock wait past 2 s: the submissions queued on a shared row
            outcomes["second"] = error
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=submit_first_and_wait), threading.Thread(target=submit_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert isinstance(outcomes["first"], Submission)
    assert isinstance(outcomes["second"], Submission), outcomes["second"]
