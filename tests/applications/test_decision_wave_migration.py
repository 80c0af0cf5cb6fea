"""Migration 0011 gives existing decided dossiers the wave their decision was taken in."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("applications", "0010_submission_processed_at_dossier_submitted_index"),
    ("reviews", "0003_review_transition"),
]
AFTER = [("applications", "0011_dossier_decision_wave"), ("reviews", "0003_review_transition")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_decisions_get_the_wave_of_their_latest_decision_else_their_own():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    now = timezone.now()
    Region = apps.get_model("cities", "Region")
    Departement = apps.get_model("cities", "Departement")
    Commune = apps.get_model("cities", "Commune")
    Campaign = apps.get_model("applications", "Campaign")
    Wave = apps.get_model("applications", "Wave")
    Dossier = apps.get_model("applications", "Dossier")
    Decision = apps.get_model("reviews", "Decision")
    region = Region.objects.create(code="M1", name="Région M")
    departement = Departement.objects.create(code="M1", name="Dép M", region=region)
    campaign = Campaign.objects.create(name="AMI M", slug="ami-m")
    wave1 = Wave.objects.create(
        campaign=campaign,
        number=1,
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=60),
        publishes_at=now - timedelta(days=30),
    )
    wave2 = Wave.objects.create(
        campaign=campaign,
        number=2,
        opens_at=now - timedelta(days=59),
        closes_at=now + timedelta(days=10),
        publishes_at=now + timedelta(days=40),
    )

    def dossier(reference, status, insee):
        commune = Commune.objects.create(insee_code=insee, name=reference, departement=departement, region=region)
        return Dossier.objects.create(
            campaign=campaign, wave=wave2, reference=reference, commune=commune, region=region, status=status
        )

    carried_over = dossier("M-1", "postponed", "99001")  # postponed in wave 1, since moved on to wave 2
    Decision.objects.create(dossier=carried_over, wave=wave1, outcome="postponed", justification="…", decided_at=now)
    imported = dossier("M-2", "laureate", "99002")  # no Decision row
    draft = dossier("M-3", "draft", "99003")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Dossier = executor.loader.project_state(AFTER).apps.get_model("applications", "Dossier")
    assert Dossier.objects.get(pk=carried_over.pk).decision_wave_id == wave1.pk
    assert Dossier.objects.get(pk=imported.pk).decision_wave_id == wave2.pk
    assert Dossier.objects.get(pk=draft.pk).decision_wave_id is None
