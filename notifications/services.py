"""Queueing e-mails through the outbox. Call inside the transaction that causes the message."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from .context import freeze
from .models import OutboxMessage, OutboxStatus
from .rendering import render_email  # noqa: F401  (rendering lives with sending; kept importable from here)
from .sending import stuck_before

logger = logging.getLogger(__name__)


def recipient_language(user) -> str:
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def queue_email(
    *, kind: str, key: str, recipient, context: dict, attachments: list | None = None, fresh_event: bool = False
) -> OutboxMessage:
    """Create the outbox row for (event ``key``, recipient) once; send it after the transaction commits.

    ``key`` names the event (``decision:12:3:laureate``) and is stored as ``event_key``; the recipient is its own
    column, and the pair (case-insensitive address) is unique.

    ``recipient`` is a User (their ``preferred_language`` picks French or English) or an e-mail address (French).
    Nothing is rendered here: the row keeps ``context`` (see context.py) and the worker renders the templates
    and the attachments (``[{"kind": "receipt", "submission_id": N}]``) at send time, after commit, in the
    recipient's language, so the transaction that queues the message stays short.
    Idempotent: a second call with the same key and recipient returns the existing row and sends nothing more.
    A rolled-back transaction leaves no row and sends nothing; a committed one always leaves a READY row that the
    sweep sends even if the broker was down at commit time.

    ``fresh_event``: the caller's transaction created the event ``key`` names (``receipt:<new submission's id>``)
    and queues it once per recipient, so no row can exist yet: the row is inserted without looking for one first
    (three round trips fewer for each receipt at a deadline rush).
    """
    user = None if isinstance(recipient, str) else recipient
    address = recipient if isinstance(recipient, str) else recipient.email
    language = recipient_language(user)
    same_event = OutboxMessage.objects.filter(event_key=key, recipient__iexact=address)
    existing = None if fresh_event else same_event.first()
    if existing:
        return existing
    with translation.override(language):
        frozen = freeze({**context, "recipient": user or address})
    try:
        with transaction.atomic(savepoint=not fresh_event):
            message = OutboxMessage.objects.create(
                event_key=key,
                kind=kind,
                recipient=address,
                user=user,
                language=language,
                context=frozen,
                attachments=attachments or [],
            )
    except IntegrityError:
        return same_event.get()
    transaction.on_commit(lambda: enqueue_sending(message_id=message.pk))
    return message


def enqueue_sending(*, message_id: int) -> None:
    """Hand the row to a Celery worker; if the broker is unreachable, log it and leave the row to the sweep."""
    from .tasks import task_send_outbox_message

    try:
        task_send_outbox_message.delay(message_id=message_id)
    except Exception:  # broker down, or an eager run that failed: the row stays READY/FAILED with its error
        logger.warning("Outbox message %s was not sent now; the sweep will take it up.", message_id, exc_info=True)


def messages_due_for_sending(*, now: datetime) -> QuerySet:
    """Rows whose sending was lost: READY for over a minute and not waiting for a back-off, or abandoned SENDING."""
    # A READY row this old whose task never ran (broker down at commit time, task lost) is enqueued again.
    grace = timedelta(seconds=settings.OUTBOX_UNSENT_GRACE)
    ready = Q(status=OutboxStatus.READY, created_at__lte=now - grace) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(status=OutboxStatus.SENDING, sending_started_at__lte=stuck_before(now))
    return OutboxMessage.objects.filter(ready | abandoned).order_by("created_at")


def sweep_outbox(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Enqueue every row due for sending (see messages_due_for_sending); returns their ids.

    Safe to run twice or alongside live tasks: sending claims the row under a lock, so an extra task is a no-op.
    """
    now = now or timezone.now()
    ids = list(messages_due_for_sending(now=now).values_list("pk", flat=True)[:limit])
    for message_id in ids:
        enqueue_sending(message_id=message_id)
    return ids


def resend_messages(*, message_ids: list[int]) -> int:
    """Put FAILED rows back to READY (attempts and last error kept) and enqueue them after commit; returns how many."""
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=message_ids, status=OutboxStatus.FAILED)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxStatus.READY, next_attempt_at=None)
        for message_id in ids:
            transaction.on_commit(lambda message_id=message_id: enqueue_sending(message_id=message_id))
    return len(ids)
