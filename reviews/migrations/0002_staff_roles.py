"""Staff roles as groups with their permissions (names from accounts.roles.Role, frozen here).

Least privilege: regional reviewers see dossiers (scoped to their régions by the selectors) and write their own
reviews; coordinators see every région and record decisions; committee members read; the press gets nothing in
the admin (its pages check the group); administrators run the platform but see no dossier.
"""

from django.db import migrations

CRUD = ("view", "add", "change", "delete")


def _all(app, *models):
    return [f"{app}.{action}_{model}" for model in models for action in CRUD]


ROLE_PERMISSIONS = {
    "Regional reviewer": [
        "applications.view_dossier",
        "reviews.view_review", "reviews.change_review", "reviews.view_score", "reviews.change_score",
        "reviews.view_assignment", "reviews.view_conflictofinterest", "reviews.add_conflictofinterest",
        "reviews.view_internalnote", "reviews.add_internalnote",
    ],
    "National coordinator": [
        "applications.view_dossier", "applications.view_all_dossiers", "applications.decide_dossier",
        "reviews.view_review", "reviews.view_score", "reviews.view_assignment", "reviews.add_assignment",
        "reviews.view_conflictofinterest", "reviews.view_decision", "reviews.add_decision",
        "reviews.view_internalnote", "reviews.add_internalnote",
        *_all("reviews", "scoringgrid", "criterion"),
    ],
    "Committee member": [
        "applications.view_dossier", "applications.view_all_dossiers",
        "reviews.view_review", "reviews.view_score", "reviews.view_decision", "reviews.view_internalnote",
        "reviews.add_internalnote", "reviews.view_scoringgrid", "reviews.view_criterion",
    ],
    "Press": [],
    "Administrator": [
        *_all("auth", "group"), *_all("accounts", "user", "officialprofile", "staffprofile"),
        *_all("applications", "campaign", "wave"), *_all("reviews", "scoringgrid", "criterion"),
        *_all("cities", "region", "departement", "epci", "commune", "programmemembership"),
        "notifications.view_outboxmessage", "notifications.resend_outboxmessage",
        *_all("django_celery_beat", "periodictask", "crontabschedule", "intervalschedule", "clockedschedule",
              "solarschedule"),
    ],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations (post_migrate); create them now to attach them.
    for app_config in apps.get_app_configs():
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


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        # Pinned, never "__latest__": a later migration of one of these apps would otherwise be a dependency of
        # this already applied one, and migrate would refuse to run (InconsistentMigrationHistory).
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_initial"),
        ("applications", "0002_dossier_sections"),
        ("cities", "0003_search_trigram_index_postgresql"),
        ("notifications", "0004_outbox_resend_permission"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
