from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.models import Wave
from tests.factories import CampaignFactory, UserFactory, WaveFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def admin_client_fr(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _wave_form(campaign, number, opens, closes, publishes):
    return {
        "campaign": campaign.pk,
        "number": number,
        "opens_at_0": opens[0],
        "opens_at_1": opens[1],
        "closes_at_0": closes[0],
        "closes_at_1": closes[1],
        "publishes_at_0": publishes[0],
        "publishes_at_1": publishes[1],
    }


@pytest.mark.django_db
def test_admin_refuses_an_overlapping_wave_with_a_french_error(admin_client_fr):
    campaign = CampaignFactory()
    WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=datetime(2020, 7, 20, tzinfo=PARIS),
        closes_at=datetime(2020, 11, 7, tzinfo=PARIS),
        publishes_at=datetime(2020, 12, 1, tzinfo=PARIS),
    )
    data = _wave_form(campaign, 2, ("01/11/2020", "00:00:00"), ("13/02/2021", "00:00:00"), ("01/03/2021", "00:00:00"))
    response = admin_client_fr.post(reverse("admin:applications_wave_add"), data)
    assert response.status_code == 200
    assert "chevauche la vague 1" in response.content.decode()
    assert Wave.objects.filter(campaign=campaign).count() == 1


@pytest.mark.django_db
def test_admin_accepts_a_following_wave(admin_client_fr):
    campaign = CampaignFactory()
    WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=datetime(2020, 7, 20, tzinfo=PARIS),
        closes_at=datetime(2020, 11, 7, tzinfo=PARIS),
        publishes_at=datetime(2020, 12, 1, tzinfo=PARIS),
    )
    data = _wave_form(campaign, 2, ("07/11/2020", "00:00:00"), ("13/02/2021", "00:00:00"), ("01/03/2021", "00:00:00"))
    response = admin_client_fr.post(reverse("admin:applications_wave_add"), data)
    assert response.status_code == 302
    wave = Wave.objects.get(campaign=campaign, number=2)
    assert wave.closes_at == datetime(2021, 2, 13, tzinfo=PARIS)
