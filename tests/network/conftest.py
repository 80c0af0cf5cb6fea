"""Fixtures of the network tests: a published laureate wave, real coordinates, antennas at each stage."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from applications.states import DossierStatus
from network.models import Antenna
from tests.factories import CommuneFactory, DepartementFactory, DossierFactory, RegionFactory, WaveFactory, reviewer

PARIS = ZoneInfo("Europe/Paris")
PUBLISHES_AT = datetime(2021, 3, 15, 10, 0, tzinfo=PARIS)
TODAY = date(2022, 6, 1)


def in_group(user, role):
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def laureate(wave, *, commune=None, **kwargs):
    return DossierFactory(
        wave=wave,
        commune=commune or CommuneFactory(),
        status=DossierStatus.LAUREATE,
        decided_at=wave.closes_at + timedelta(days=1),
        **kwargs,
    )


def antenna(dossier, **milestones) -> Antenna:
    return Antenna.objects.create(dossier=dossier, **milestones)


@pytest.fixture
def burgundy(db):
    return DepartementFactory(
        code="71", name="Saône-et-Loire", region=RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    )


@pytest.fixture
def brittany(db):
    return DepartementFactory(code="29", name="Finistère", region=RegionFactory(code="53", name="Bretagne"))


@pytest.fixture
def chalon(burgundy):
    return CommuneFactory(
        insee_code="71076",
        name="Chalon-sur-Saône",
        departement=burgundy,
        population=45000,
        latitude=46.7806,
        longitude=4.8539,
    )


@pytest.fixture
def quimper(brittany):
    return CommuneFactory(
        insee_code="29232", name="Quimper", departement=brittany, population=63000, latitude=47.9960, longitude=-4.1024
    )


@pytest.fixture
def wave(db):
    """Wave 1 of campaign "ami1", results published at PUBLISHES_AT."""
    return WaveFactory(
        campaign__slug="ami1",
        campaign__name="Au cœur des territoires — 1er AMI",
        campaign__is_historical=True,
        number=1,
        opens_at=PUBLISHES_AT - timedelta(days=120),
        closes_at=PUBLISHES_AT - timedelta(days=30),
        publishes_at=PUBLISHES_AT,
    )


@pytest.fixture
def regional_staff():
    def make(*regions):
        return in_group(reviewer(*regions), Role.REGIONAL_REVIEWER)

    return make
