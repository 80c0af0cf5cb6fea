"""The default periodic schedule (django-celery-beat), editable afterwards in the admin.

Existing rows (same name) are left as the administrator set them.
"""

from django.db import migrations

# (name, task, every, period)
SCHEDULE = [
    ("Wave events (closing, publication)", "applications.sweep_wave_events", 1, "minutes"),
    ("Outbox sweep (unsent and stuck e-mails)", "notifications.sweep_outbox", 1, "minutes"),
    ("Deadline reminders", "applications.send_reminders", 15, "minutes"),
]


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, every, period in SCHEDULE:
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval, "kwargs": "{}", "enabled": True}
        )
    # Tell a running beat that the schedule changed (what PeriodicTask.save() does outside migrations).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_outbox_next_attempt"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
