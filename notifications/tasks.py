"""Celery tasks of the outbox: thin, keyword-only ids, safe to run twice."""

import logging

from celery import shared_task
from django.conf import settings

from .models import OutboxMessage
from .sending import RETRY_BACKOFF_MAX_SECONDS, RETRY_BACKOFF_SECONDS, TRANSIENT_ERRORS, send_outbox_message
from .services import sweep_outbox

logger = logging.getLogger(__name__)


@shared_task(
    name="notifications.send_outbox_message",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=RETRY_BACKOFF_SECONDS,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=False,
    max_retries=settings.OUTBOX_MAX_RETRIES,
)
def task_send_outbox_message(self, *, message_id: int) -> bool:
    if not OutboxMessage.objects.filter(pk=message_id).exists():
        logger.info("Outbox message %s is gone; nothing to send.", message_id)
        return False
    return send_outbox_message(message_id=message_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task(name="notifications.sweep_outbox", acks_late=True)
def task_sweep_outbox() -> int:
    return len(sweep_outbox())
