"""The default beat schedule exists after migrating and names tasks the worker knows."""

import pytest
from django_celery_beat.models import PeriodicTask

from ami_portal.celery import app

pytestmark = pytest.mark.django_db


def test_migration_creates_the_periodic_tasks_with_their_intervals():
    rows = {
        t.task: (t.interval.every, t.interval.period, t.enabled)
        for t in PeriodicTask.objects.select_related("interval")
    }
    assert rows["applications.sweep_wave_events"] == (1, "minutes", True)
    assert rows["notifications.sweep_outbox"] == (1, "minutes", True)
    assert rows["applications.send_reminders"] == (15, "minutes", True)


def test_every_scheduled_task_is_registered_with_the_celery_app():
    app.loader.import_default_modules()
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert names and names <= set(app.tasks)


def test_tasks_acknowledge_late_and_serialise_as_json():
    app.loader.import_default_modules()
    task = app.tasks["notifications.send_outbox_message"]
    assert task.acks_late and task.reject_on_worker_lost
    assert app.conf.task_serializer == "json" and app.conf.accept_content == ["json"]


@pytest.mark.django_db
def test_periodic_tasks_are_named_in_french():
    from django_celery_beat.models import PeriodicTask

    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {
        "Effets des vagues (clôture, publication)",
        "Relève de la file des courriels (non envoyés ou bloqués)",
        "Rappels de date limite aux candidats",
        "Antennes : nouveaux lauréats, bilans annuels manquants",
        "Rappels aux évaluateurs (évaluations attendues)",
    } <= names
