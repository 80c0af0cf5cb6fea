"""The migration gives the staff roles their network permissions and schedules the daily sweep; the task is thin."""

import pytest
from django.contrib.auth.models import Group
from django_celery_beat.models import PeriodicTask

from accounts.roles import Role
from network.models import Antenna
from network.tasks import task_sweep_antennas

from .conftest import laureate

pytestmark = pytest.mark.django_db


def perms(role):
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=role).permissions.all()}


def test_regional_reviewers_update_but_do_not_add_antennas_nor_see_every_region():
    granted = perms(Role.REGIONAL_REVIEWER)
    assert {"network.change_antenna", "network.change_antennareport", "network.view_antennalogentry"} <= granted
    assert not {"network.add_antenna", "network.view_all_antennas", "network.change_antennalogentry"} & granted


def test_coordinators_see_every_antenna_and_keep_the_centres():
    assert {"network.view_all_antennas", "network.add_antenna", "network.add_cnamcentre"} <= perms(Role.COORDINATOR)


def test_the_daily_sweep_is_scheduled():
    task = PeriodicTask.objects.get(task="network.sweep_antennas")
    assert task.enabled and (task.interval.every, task.interval.period) == (1, "days")


def test_the_sweep_records_the_antennas_of_new_laureates(wave):
    laureate(wave)
    assert task_sweep_antennas.apply().get() == {"antennas": 1, "reminded": 0}
    assert Antenna.objects.count() == 1
