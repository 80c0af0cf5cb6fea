"""An antenna's status is derived from its milestone dates at a given day; milestones are checked and logged."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from network import services
from network.models import Antenna, AntennaLogAction, AntennaLogEntry
from network.status import AntennaStatus, antenna_status
from tests.factories import UserFactory

from .conftest import antenna, laureate

pytestmark = pytest.mark.django_db

SIGNED, OPENED = date(2020, 1, 10), date(2020, 9, 1)


def test_a_laureate_without_antenna_is_laureate():
    assert antenna_status(None, date(2022, 1, 1)) == AntennaStatus.LAUREATE


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2020, 1, 9), AntennaStatus.LAUREATE),
        (date(2020, 1, 10), AntennaStatus.CONVENTION_SIGNED),
        (date(2020, 8, 31), AntennaStatus.CONVENTION_SIGNED),
        (date(2020, 9, 1), AntennaStatus.OPEN),
    ],
)
def test_status_follows_the_milestones_from_their_day_on(wave, day, expected):
    item = antenna(laureate(wave), convention_signed_on=SIGNED, opened_on=OPENED)
    assert item.status_on(day) == expected


def test_a_suspended_then_closed_antenna_reads_suspended_then_closed(wave):
    item = antenna(
        laureate(wave),
        convention_signed_on=SIGNED,
        opened_on=OPENED,
        suspended_on=date(2021, 3, 1),
        closed_on=date(2021, 6, 1),
        interruption_reason="Locaux indisponibles",
    )
    assert item.status_on(date(2021, 2, 28)) == AntennaStatus.OPEN
    assert item.status_on(date(2021, 3, 1)) == AntennaStatus.SUSPENDED
    assert item.status_on(date(2021, 6, 1)) == AntennaStatus.CLOSED


def test_opening_without_a_signed_agreement_is_refused(wave):
    item = Antenna(dossier=laureate(wave), opened_on=OPENED)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "opened_on" in error.value.message_dict


def test_opening_before_the_signature_is_refused(wave):
    item = Antenna(dossier=laureate(wave), convention_signed_on=OPENED, opened_on=SIGNED)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "opened_on" in error.value.message_dict


def test_suspension_needs_a_reason(wave):
    item = Antenna(dossier=laureate(wave), convention_signed_on=SIGNED, opened_on=OPENED, suspended_on=date(2021, 1, 1))
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "interruption_reason" in error.value.message_dict


def test_updating_milestones_logs_old_and_new_values_with_who(wave):
    staff = UserFactory(is_staff=True)
    item = antenna(laureate(wave))
    item.convention_signed_on = SIGNED
    changes = services.antenna_update_milestones(antenna=item, by=staff)
    entry = AntennaLogEntry.objects.get(antenna=item)
    assert changes == {"convention_signed_on": [None, "2020-01-10"]}
    assert (entry.action, entry.actor, entry.changes) == (AntennaLogAction.MILESTONES, staff, changes)


def test_saving_unchanged_milestones_logs_nothing(wave):
    item = antenna(laureate(wave), convention_signed_on=SIGNED)
    services.antenna_update_milestones(antenna=item, by=None)
    assert not AntennaLogEntry.objects.exists()


def test_the_log_is_append_only(wave):
    entry = services.log(antenna=antenna(laureate(wave)), action=AntennaLogAction.CREATED)
    entry.action = AntennaLogAction.MILESTONES
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_ensure_antennas_records_one_antenna_per_decided_laureate_once(wave):
    dossier = laureate(wave)
    assert services.ensure_antennas() == 1
    assert services.ensure_antennas() == 0
    assert Antenna.objects.get().dossier == dossier
    assert AntennaLogEntry.objects.get().action == AntennaLogAction.CREATED
