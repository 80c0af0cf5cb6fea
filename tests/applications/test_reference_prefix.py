"""Dossier-number prefixes are unique across campaigns (case-insensitive), so starting a dossier never fails on
a number another campaign already handed out."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.urls import reverse

from applications.domain.dossiers import next_dossier_reference
from applications.models import Campaign, Dossier
from tests.factories import CampaignFactory, DossierFactory, WaveFactory, official

pytestmark = pytest.mark.django_db


def test_campaigns_created_without_a_prefix_get_distinct_prefixes_from_their_slugs():
    first = CampaignFactory(slug="ami-2026")
    second = CampaignFactory(slug="demo")
    third = Campaign.objects.create(name="Copie", slug="ami2026")

    assert (first.reference_prefix, second.reference_prefix, third.reference_prefix) == ("AMI2026", "DEMO", "AMI20262")


def test_two_campaigns_with_the_same_prefix_in_another_case_are_refused_by_the_database():
    CampaignFactory(reference_prefix="AMI")
    with pytest.raises(IntegrityError):
        Campaign.objects.create(name="Autre", slug="autre", reference_prefix="ami")


@pytest.fixture
def admin_client_fr(client):
    user = get_user_model().objects.create_superuser(email="admin@example.fr", password="x")
    client.force_login(user)
    return client


def _add_campaign(client, **data):
    form = {
        "name": "Troisième AMI",
        "slug": "ami-3",
        "reference_prefix": "",
        "description": "",
        **{
            f"{prefix}-{key}": value
            for prefix in ("waves", "documents", "questions")
            for key, value in (
                ("TOTAL_FORMS", "0"),
                ("INITIAL_FORMS", "0"),
                ("MIN_NUM_FORMS", "0"),
                ("MAX_NUM_FORMS", "1000"),
            )
        },
        **data,
    }
    return client.post(reverse("admin:applications_campaign_add"), form, HTTP_ACCEPT_LANGUAGE="fr")


def test_admin_refuses_a_prefix_used_by_another_campaign_whatever_the_case_in_french(admin_client_fr):
    CampaignFactory(reference_prefix="AMI")

    response = _add_campaign(admin_client_fr, reference_prefix="ami")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["reference_prefix"] == [
        "Une autre campagne utilise déjà ce préfixe de numéro de dossier : choisissez-en un autre."
    ]
    assert not Campaign.objects.filter(slug="ami-3").exists()


def test_admin_refuses_a_prefix_with_a_hyphen(admin_client_fr):
    response = _add_campaign(admin_client_fr, reference_prefix="AMI-3")

    assert (
        "Utilisez uniquement des lettres et des chiffres"
        in response.context["adminform"].form.errors["reference_prefix"][0]
    )


def test_admin_derives_an_empty_prefix_from_the_slug(admin_client_fr):
    CampaignFactory(reference_prefix="AMI3")

    response = _add_campaign(admin_client_fr)

    assert response.status_code == 302
    assert Campaign.objects.get(slug="ami-3").reference_prefix == "AMI32"


def test_starting_a_dossier_in_two_campaigns_gives_two_distinct_numbers(client):
    user = official()
    waves = [WaveFactory(campaign=CampaignFactory()), WaveFactory(campaign=CampaignFactory())]
    client.force_login(user)
    for wave in waves:
        response = client.post(
            reverse("applications:start", kwargs={"slug": wave.campaign.slug}),
            {"applicant": f"commune-{user.official_profile.commune_id}"},
        )
        assert response.status_code == 302
    references = sorted(Dossier.objects.values_list("reference", flat=True))
    assert len(set(references)) == 2
    assert [r.split("-")[0] for r in references] == sorted(w.campaign.reference_prefix for w in waves)


def test_a_number_already_taken_by_another_campaign_is_skipped():
    campaign = CampaignFactory(reference_prefix="REUSE")
    DossierFactory(reference="REUSE-2026-00001")

    reference = next_dossier_reference(campaign=campaign, now=datetime(2026, 6, 1, tzinfo=ZoneInfo("Europe/Paris")))

    assert reference == "REUSE-2026-00002"


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_the_oldest_prefix_and_derives_the_duplicates():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("applications", "0003_campaign_page")],
        [("applications", "0004_campaign_reference_prefix_unique")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("applications", "Campaign")
    for slug in ("ami-2019", "ami-2020", "demo"):
        old.objects.create(name=slug, slug=slug, reference_prefix="AMI")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("applications", "Campaign")

    assert dict(new.objects.values_list("slug", "reference_prefix")) == {
        "ami-2019": "AMI",
        "ami-2020": "AMI2020",
        "demo": "DEMO",
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
