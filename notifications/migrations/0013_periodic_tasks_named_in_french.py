"""The periodic tasks are named in French in the admin (the portal's language); a name an administrator changed is
left as it is."""

from django.db import migrations

# task: (default English name given by the earlier migrations, French name)
NAMES = {
    "applications.sweep_wave_events": ("Wave events (closing, publication)", "Effets des vagues (clôture, publication)"),
    "notifications.sweep_outbox": (
        "Outbox sweep (unsent and stuck e-mails)",
        "Relève de la file des courriels (non envoyés ou bloqués)",
    ),
    "applications.send_reminders": ("Deadline reminders", "Rappels de date limite aux candidats"),
    "network.sweep_antennas": (
        "Antennas: new laureates, missing yearly reports",
        "Antennes : nouveaux lauréats, bilans annuels manquants",
    ),
    "reviews.send_review_reminders": (
        "Reviewers' reminders (reviews due)",
        "Rappels aux évaluateurs (évaluations attendues)",
    ),
}


def rename(apps, schema_editor, *, forward=True):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for task, (english, french) in NAMES.items():
        old, new = (english, french) if forward else (french, english)
        PeriodicTask.objects.filter(task=task, name=old).update(name=new)


def to_english(apps, schema_editor):
    rename(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0012_outbox_kind_review_reminder"),
        ("network", "0002_roles_and_schedule"),
        ("reviews", "0006_review_reminder_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(rename, to_english)]
