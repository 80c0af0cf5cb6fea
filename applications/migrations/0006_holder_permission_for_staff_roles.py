"""Regional reviewers, national coordinators and administrators may verify and change dossier holders.

The permission says the page is reachable; the région scope (reviewers: their régions only) is checked by
``applications.rules.can_manage_holders`` and the selector ``dossiers_for_holder_staff``.
"""

from django.db import migrations

GROUPS = ("Regional reviewer", "National coordinator", "Administrator")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("applications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="applications", codename="manage_dossier_holders"
    ).first()
    if permission is None:
        return
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="applications", codename="manage_dossier_holders").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_dossier_holders_and_mandate"),
        ("reviews", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
