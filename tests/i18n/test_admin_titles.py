"""The admin's page titles read right in French whatever the model's name (no "Modification de évaluation")."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_change_and_add_titles_need_no_elision(client):
    from applications.models import Campaign

    campaign = Campaign.objects.create(name="AMI test", slug="ami-test")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = client.get(reverse("admin:applications_campaign_change", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    add = client.get(reverse("admin:applications_campaign_add"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "<title>Modification : Campagne" in change.text or "Modification : campagne" in change.text
    assert "Ajout : " in add.text and "Ajout de " not in add.text
