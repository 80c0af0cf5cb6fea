from celery import shared_task

from .models import OutboxMessage


@shared_task(name="notifications.send_outbox_message", acks_late=True)
def task_send_outbox_message(*, message_id: int) -> None:
    from .sending import send_outbox_message

    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        return
    send_outbox_message(message_id=message_id)
