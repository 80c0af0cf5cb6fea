"""Periodic Celery tasks of the dossier life cycle: thin, each calls one service of applications.domain.lifecycle."""

import logging

from celery import shared_task

from applications.domain import lifecycle

logger = logging.getLogger(__name__)


@shared_task(name="applications.sweep_wave_events", acks_late=True)
def task_sweep_wave_events() -> dict:
    done = lifecycle.run_due_wave_events()
    if done["closed"] or done["published"] or done["late_decisions"]:
        logger.info("Wave events: %s", done)
    return done


@shared_task(name="applications.send_reminders", acks_late=True)
def task_send_reminders() -> int:
    return lifecycle.send_reminders()
