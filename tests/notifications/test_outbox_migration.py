"""Migration 0006 splits each existing outbox key into its event and keeps every row (and back)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("notifications", "0006_outbox_kinds_for_dossier_holders")]
AFTER = [("notifications", "0007_outbox_event_key")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_existing_rows_keep_their_event_and_recipient_both_ways():
    old_apps = _migrate(BEFORE)
    old = old_apps.get_model("notifications", "OutboxMessage")
    old.objects.create(
        key="decision:4:2:laureate:maire@ville.fr",
        kind="decision",
        recipient="Maire@Ville.fr",
        subject="s",
        body_text="b",
    )
    old.objects.create(
        key="receipt:9:adjoint@ville.fr", kind="receipt", recipient="adjoint@ville.fr", subject="s", body_text="b"
    )
    try:
        new = _migrate(AFTER).get_model("notifications", "OutboxMessage")
        assert sorted(new.objects.values_list("event_key", "recipient")) == [
            ("decision:4:2:laureate", "Maire@Ville.fr"),
            ("receipt:9", "adjoint@ville.fr"),
        ]
        back = _migrate(BEFORE).get_model("notifications", "OutboxMessage")
        assert sorted(back.objects.values_list("key", flat=True)) == [
            "decision:4:2:laureate:maire@ville.fr",
            "receipt:9:adjoint@ville.fr",
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
