"""The review migrations depend on named migrations, so later migrations of other apps keep databases migratable."""

from django.db.migrations.loader import MigrationLoader


def test_review_migrations_never_depend_on_another_apps_latest_migration():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    floating = [
        (key, dependency)
        for key, migration in loader.disk_migrations.items()
        if key[0] == "reviews"
        for dependency in migration.dependencies
        if dependency[1] == "__latest__"
    ]
    assert floating == []
