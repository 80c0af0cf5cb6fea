"""Queueing e-mails through the outbox. Call inside the transaction that causes the message."""

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import OutboxMessage


def _render(kind: str, context: dict, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{kind}/subject.txt", context).split())
        text = render_to_string(f"emails/{kind}/body.txt", context)
        html = render_to_string(f"emails/{kind}/body.html", context)
    return subject, text, html


def queue_email(*, kind: str, key: str, recipient, context: dict, attachments: list | None = None) -> OutboxMessage:
    """Create the outbox row for (event ``key``, recipient) once; send it after the transaction commits.

    ``recipient`` is a User or an e-mail address. Idempotent: a second call with the same key and
    recipient returns the existing row and sends nothing more.
    """
    user = None if isinstance(recipient, str) else recipient
    address = recipient if isinstance(recipient, str) else recipient.email
    language = getattr(user, "preferred_language", "") or "fr"
    full_key = f"{key}:{address.lower()}"
    existing = OutboxMessage.objects.filter(key=full_key).first()
    if existing:
        return existing
    subject, text, html = _render(kind, {**context, "recipient": user or address}, language)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=full_key, kind=kind, recipient=address, user=user, language=language,
                subject=subject, body_text=text, body_html=html, attachments=attachments or [],
            )
    except IntegrityError:
        return OutboxMessage.objects.get(key=full_key)
    transaction.on_commit(lambda: _dispatch(message.pk))
    return message


def _dispatch(message_id: int) -> None:
    from .tasks import task_send_outbox_message

    try:
        task_send_outbox_message.delay(message_id=message_id)
    except Exception:  # broker down: the periodic sweep picks the row up later
        import logging

        logging.getLogger(__name__).warning("Could not enqueue outbox message %s; the sweep will send it.", message_id)
