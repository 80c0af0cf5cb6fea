"""Sending one outbox row, exactly once."""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage, OutboxStatus


def send_outbox_message(*, message_id: int) -> bool:
    """Send the row if it is READY; returns True if it was sent by this call."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboxStatus.READY:
            return False
        message.status = OutboxStatus.SENDING
        message.attempts += 1
        message.sending_started_at = timezone.now()
        message.save(update_fields=["status", "attempts", "sending_started_at"])
    email = EmailMultiAlternatives(message.subject, message.body_text, to=[message.recipient])
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    email.send()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT, sent_at=timezone.now())
    return True
