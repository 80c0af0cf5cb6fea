"""Schedules the reviewers' reminders (reviews.send_review_reminders), editable afterwards in the admin, and lets
coordinators and administrators set the review due date of a wave (ReviewDeadline).

An existing row of the same name is left as the administrator set it.
"""

from django.db import migrations

SCHEDULE = ("Reviewers' reminders (reviews due)", "reviews.send_review_reminders", 15, "minutes")


DEADLINE_PERMISSIONS = [f"{action}_reviewdeadline" for action in ("view", "add", "change", "delete")]
ROLES = {"National coordinator": DEADLINE_PERMISSIONS, "Administrator": DEADLINE_PERMISSIONS}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("reviews")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="reviews", codename__in=DEADLINE_PERMISSIONS)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*perms)


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    name, task, every, period = SCHEDULE
    interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
    PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "interval": interval, "kwargs": "{}", "enabled": True}
    )
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCHEDULE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_review_deadline_and_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule), migrations.RunPython(grant, revoke)]
