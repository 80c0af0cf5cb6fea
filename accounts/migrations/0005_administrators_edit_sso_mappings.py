"""Administrators edit the single sign-on mappings and see (or remove) an account's binding to the provider."""

from django.db import migrations

PERMISSIONS = [
    "view_ssorolemapping",
    "add_ssorolemapping",
    "change_ssorolemapping",
    "delete_ssorolemapping",
    "view_ssoidentity",
    "delete_ssoidentity",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations (post_migrate); create them now to attach them.
    accounts = apps.get_app_config("accounts")
    accounts.models_module = True
    create_permissions(accounts, apps=apps, verbosity=0)
    accounts.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrators = Group.objects.filter(name="Administrator").first()
    if administrators is not None:
        administrators.permissions.add(
            *Permission.objects.filter(content_type__app_label="accounts", codename__in=PERMISSIONS)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Administrator"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="accounts", codename__in=PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_sso_role_mapping_and_identity"),
        ("reviews", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
