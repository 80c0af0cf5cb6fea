"""The outbox's idempotency key becomes data: ``event_key`` + ``recipient`` under one unique constraint (the
address compared case-insensitively), instead of one string "<event>:<address>". Existing rows keep their event."""

import django.db.models.functions.text
from django.db import migrations, models


def split_keys(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    for message in OutboxMessage.objects.only("pk", "key", "recipient").iterator():
        suffix = ":" + message.recipient.lower()
        event = message.key[: -len(suffix)] if message.key.lower().endswith(suffix) else message.key
        OutboxMessage.objects.filter(pk=message.pk).update(event_key=event[:200])


def join_keys(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    for message in OutboxMessage.objects.only("pk", "event_key", "recipient").iterator():
        OutboxMessage.objects.filter(pk=message.pk).update(key=f"{message.event_key}:{message.recipient.lower()}")


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0006_outbox_kinds_for_dossier_holders"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="event_key",
            field=models.CharField(
                default="", help_text="What caused the message, e.g. decision:12:3:laureate.", max_length=200,
                verbose_name="event",
            ),
            preserve_default=False,
        ),
        # Nullable for the way back, which fills it again before making it required.
        migrations.AlterField(
            model_name="outboxmessage",
            name="key",
            field=models.CharField(max_length=255, unique=True, null=True, verbose_name="idempotency key"),
        ),
        migrations.RunPython(split_keys, join_keys),
        migrations.RemoveField(model_name="outboxmessage", name="key"),
        migrations.AddConstraint(
            model_name="outboxmessage",
            constraint=models.UniqueConstraint(
                models.F("event_key"), django.db.models.functions.text.Lower("recipient"),
                name="one_message_per_event_and_recipient",
            ),
        ),
    ]
