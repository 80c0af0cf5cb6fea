from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from applications.domain.campaigns import ensure_demo_campaign, ensure_second_ami
from applications.models import Wave

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.django_db
def test_second_ami_wave_one_accepts_until_the_end_of_6_november_2020():
    campaign = ensure_second_ami()
    wave = campaign.waves.get(number=1)
    assert wave.is_open_at(datetime(2020, 11, 6, 23, 59, 59, tzinfo=PARIS))
    assert not wave.is_open_at(datetime(2020, 11, 7, 0, 0, 0, tzinfo=PARIS))
    assert [w.last_day.isoformat() for w in campaign.waves.order_by("number")] == [
        "2020-11-06",
        "2021-02-12",
        "2021-06-25",
    ]


@pytest.mark.django_db
def test_second_ami_submission_at_midnight_goes_to_the_next_wave():
    campaign = ensure_second_ami()
    assert campaign.target_wave_at(datetime(2020, 11, 7, 0, 0, 0, tzinfo=PARIS)).number == 2


@pytest.mark.django_db
def test_seeding_reference_campaigns_twice_changes_nothing():
    ensure_second_ami()
    ensure_demo_campaign()
    before = list(Wave.objects.values_list("pk", "opens_at", "closes_at", "publishes_at"))
    ensure_second_ami()
    ensure_demo_campaign(now=timezone.now() + timedelta(days=3))
    assert list(Wave.objects.values_list("pk", "opens_at", "closes_at", "publishes_at")) == before


@pytest.mark.django_db
def test_demo_campaign_has_an_open_wave_today_and_a_published_one():
    campaign = ensure_demo_campaign()
    now = timezone.now()
    assert campaign.waves.open_at(now).get().number == 2
    assert campaign.waves.get(number=1).is_published_at(now)
    for wave in campaign.waves.all():
        wave.full_clean()


@pytest.mark.django_db
def test_home_page_states_the_last_accepted_second_in_french(client):
    campaign = ensure_demo_campaign()
    wave = campaign.waves.open_at(timezone.now()).get()
    last = timezone.localtime(wave.last_instant)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert f"jusqu’au {last.day} " in response.content.decode()
    assert "à 23:59:59 (heure de Paris)" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "when, number",
    [
        (datetime(2020, 11, 6, 23, 59, 59, tzinfo=PARIS), 1),  # last second of wave 1
        (datetime(2020, 11, 7, 0, 0, 0, tzinfo=PARIS), 2),  # wave 1 has closed: wave 2
    ],
)
def test_target_wave_of_a_campaign_and_of_a_list_of_campaigns_agree(when, number):
    campaign = ensure_second_ami()
    assert campaign.target_wave_at(when).number == number
    assert Wave.objects.filter(campaign=campaign).target_per_campaign(when)[campaign.pk].number == number


@pytest.mark.django_db
def test_no_target_wave_after_the_last_one_closed():
    campaign = ensure_second_ami()
    last = campaign.waves.order_by("-closes_at").first()
    assert campaign.target_wave_at(last.closes_at) is None
    assert Wave.objects.filter(campaign=campaign).target_per_campaign(last.closes_at) == {}
