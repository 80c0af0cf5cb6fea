"""Administrators (who manage users) see every API token in the admin and may revoke them (the ``change``
permission of the revoke action); tokens are created by their holders only, in their account."""

from django.db import migrations

PERMISSIONS = ("view_apitoken", "change_apitoken")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("api")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name="Administrator")
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(content_type__app_label="api", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Administrator"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="api", codename__in=PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_tokens"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("reviews", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
