"""The network's permissions for the staff roles, and its daily sweep in the periodic schedule (django-celery-beat).

Coordinators and administrators see and edit every antenna; regional reviewers update the milestones and validate
the yearly reports of their régions' antennas (the admin scopes rows by région, see network/selectors.py). The
log is read-only for everyone. Existing schedule rows (same name) are left as the administrator set them.
"""

from django.db import migrations

ROLE_PERMISSIONS = {
    "Regional reviewer": [
        "network.view_antenna", "network.change_antenna", "network.view_antennareport", "network.change_antennareport",
        "network.view_antennalogentry", "network.view_cnamcentre",
    ],
    "National coordinator": [
        "network.view_all_antennas", "network.view_antenna", "network.add_antenna", "network.change_antenna",
        "network.view_antennareport", "network.change_antennareport", "network.view_antennalogentry",
        "network.view_cnamcentre", "network.add_cnamcentre", "network.change_cnamcentre", "network.delete_cnamcentre",
    ],
    "Administrator": [
        "network.view_all_antennas", "network.view_antenna", "network.add_antenna", "network.change_antenna",
        "network.view_antennareport", "network.change_antennareport", "network.view_antennalogentry",
        "network.view_cnamcentre", "network.add_cnamcentre", "network.change_cnamcentre", "network.delete_cnamcentre",
    ],
}
SCHEDULE = ("Antennas: new laureates, missing yearly reports", "network.sweep_antennas", 1, "days")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("network")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                group.permissions.add(found)
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    name, task, every, period = SCHEDULE
    interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval, "kwargs": "{}",
                                                            "enabled": True})
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def revoke(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCHEDULE[0]).delete()
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="network"))


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("reviews", "0002_staff_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
