from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CampaignFactory, DossierFactory, WaveFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.django_db
def test_factories_build_a_dossier_in_an_open_wave():
    dossier = DossierFactory()
    assert dossier.wave.is_open
    assert dossier.region == dossier.commune.region
    assert dossier.owner.official_profile.commune == dossier.commune


@pytest.mark.django_db
def test_overlapping_wave_is_refused_with_a_french_message():
    campaign = CampaignFactory()
    WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=datetime(2020, 7, 20, tzinfo=PARIS),
        closes_at=datetime(2020, 11, 7, tzinfo=PARIS),
    )
    overlapping = WaveFactory.build(
        campaign=campaign,
        number=2,
        opens_at=datetime(2020, 11, 1, tzinfo=PARIS),
        closes_at=datetime(2021, 2, 13, tzinfo=PARIS),
        publishes_at=datetime(2021, 3, 1, tzinfo=PARIS),
    )
    with pytest.raises(ValidationError) as excinfo:
        overlapping.full_clean()
    assert "chevauche" in str(excinfo.value) or "overlaps" in str(excinfo.value)


@pytest.mark.django_db
def test_wave_closing_before_opening_is_refused():
    wave = WaveFactory.build(
        campaign=CampaignFactory(),
        number=1,
        opens_at=datetime(2021, 1, 1, tzinfo=PARIS),
        closes_at=datetime(2020, 1, 1, tzinfo=PARIS),
        publishes_at=datetime(2021, 2, 1, tzinfo=PARIS),
    )
    with pytest.raises(ValidationError) as excinfo:
        wave.full_clean()
    assert "closes_at" in excinfo.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    "closes_at",
    [
        datetime(2021, 3, 28, 3, 0, tzinfo=PARIS),  # just after the spring-forward change (02:00 → 03:00)
        datetime(2020, 10, 25, 2, 30, tzinfo=PARIS, fold=1),  # the repeated hour of the autumn change
        datetime(2020, 11, 7, 0, 0, tzinfo=PARIS),  # wave 1 of the 2nd AMI: last day 6 Nov 2020
    ],
)
def test_wave_is_open_one_second_before_its_deadline_and_closed_at_it(closes_at):
    # Arithmetic in UTC: wall-clock arithmetic in Europe/Paris would be wrong across a DST change.
    closes_at = closes_at.astimezone(UTC)
    wave = WaveFactory(opens_at=closes_at - timedelta(days=90), closes_at=closes_at)
    wave.refresh_from_db()
    assert wave.is_open_at(closes_at - timedelta(seconds=1))
    assert not wave.is_open_at(closes_at)
    assert not wave.is_open_at(closes_at + timedelta(seconds=1))


@pytest.mark.django_db
def test_last_day_of_wave_is_the_paris_calendar_day_before_midnight():
    wave = WaveFactory(opens_at=datetime(2020, 7, 20, tzinfo=PARIS), closes_at=datetime(2020, 11, 7, tzinfo=PARIS))
    assert wave.last_day.isoformat() == "2020-11-06"
