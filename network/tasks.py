"""Periodic Celery task of the network: thin, calls the services (each idempotent)."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="network.sweep_antennas", acks_late=True)
def task_sweep_antennas() -> dict:
    """Record the antennas of new laureates, then remind officials of missing yearly reports (once per year)."""
    done = {"antennas": services.ensure_antennas(), "reminded": services.send_report_reminders()}
    if done["antennas"] or done["reminded"]:
        logger.info("Network sweep: %s", done)
    return done
