"""The press home's wave list: each wave with its decided laureates, published or not (public.selectors)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.states import DossierStatus
from public import selectors
from tests.factories import CampaignFactory, DossierFactory, WaveFactory

pytestmark = pytest.mark.django_db


def test_each_wave_counts_its_decided_laureates_only():
    now = timezone.now()
    first, second = WaveFactory(number=1), WaveFactory(number=2)
    second.campaign = first.campaign
    second.save()
    DossierFactory.create_batch(2, wave=first, status=DossierStatus.LAUREATE, decided_at=now)
    DossierFactory(wave=first, status=DossierStatus.LAUREATE, decided_at=None)  # imported without a decision date
    DossierFactory(wave=first, status=DossierStatus.NOT_RETAINED, decided_at=now)
    DossierFactory(wave=first, status=DossierStatus.UNDER_REVIEW)
    DossierFactory(wave=second, status=DossierStatus.LAUREATE, decided_at=now)

    counts = {wave.number: wave.laureate_count for wave in selectors.waves_with_decided_laureate_counts()}

    assert counts == {1: 2, 2: 1}


def test_a_wave_without_laureates_counts_zero_and_the_newest_campaign_comes_first():
    older = WaveFactory(number=1, campaign=CampaignFactory(slug="ami1"))
    older.campaign.created_at = timezone.now() - timedelta(days=400)
    older.campaign.save()
    newer = WaveFactory(number=1, campaign=CampaignFactory(slug="ami2"))

    waves = list(selectors.waves_with_decided_laureate_counts())

    assert [wave.pk for wave in waves] == [newer.pk, older.pk]
    assert [wave.laureate_count for wave in waves] == [0, 0]
