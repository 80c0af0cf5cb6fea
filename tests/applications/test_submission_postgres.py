"""Two simultaneous submit clicks make exactly one submission (row lock + status check), on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

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
