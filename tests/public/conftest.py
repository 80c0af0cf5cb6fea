"""Fixtures for the press and public-results tests: one client per role, waves around a publication instant."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from applications.states import DossierStatus
from cities.models import ProgrammeMembership
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    DossierFactory,
    EpciFactory,
    RegionFactory,
    UserFactory,
    WaveFactory,
    official,
    reviewer,
)

PARIS = ZoneInfo("Europe/Paris")
# Publication of the results: 15 March 2021 at 10:00, Paris time.
PUBLISHES_AT = datetime(2021, 3, 15, 10, 0, tzinfo=PARIS)
ROLES = ["anonymous", "official", "reviewer", "press", "coordinator"]


def in_group(user, role):
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    return user


def make_user(role: str, region=None):
    if role == "anonymous":
        return None
    if role == "official":
        return official()
    if role == "reviewer":
        return in_group(reviewer(region or RegionFactory()), Role.REGIONAL_REVIEWER)
    if role == "press":
        return in_group(UserFactory(), Role.PRESS)
    if role == "coordinator":
        return in_group(UserFactory(is_staff=True), Role.COORDINATOR)
    raise ValueError(role)


@pytest.fixture
def client_for(client, settings):
    # Independent of the accounts app's log-in page: anonymous users are sent here.
    settings.LOGIN_URL = "/admin/login/"

    def _client(role: str, region=None):
        user = make_user(role, region)
        if user is not None:
            client.force_login(user)
        return client

    return _client


def laureate(wave, *, commune=None, decided_at=None, **kwargs):
    if "epci" not in kwargs:
        commune = commune or CommuneFactory()
    return DossierFactory(
        wave=wave,
        commune=commune,
        status=DossierStatus.LAUREATE,
        decided_at=decided_at or wave.closes_at + timedelta(days=1),
        **kwargs,
    )


@pytest.fixture
def burgundy():
    region = RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    return DepartementFactory(code="71", name="Saône-et-Loire", region=region)


@pytest.fixture
def idf():
    region = RegionFactory(code="11", name="Île-de-France")
    return DepartementFactory(code="91", name="Essonne", region=region)


@pytest.fixture
def chalon(burgundy):
    commune = CommuneFactory(
        insee_code="71076",
        name="Chalon-sur-Saône",
        departement=burgundy,
        population=45000,
        latitude=46.78,
        longitude=4.85,
    )
    ProgrammeMembership.objects.create(programme="acv", commune=commune, source="test")
    return commune


@pytest.fixture
def evry(idf):
    commune = CommuneFactory(
        insee_code="91228",
        name="Évry-Courcouronnes",
        departement=idf,
        population=67000,
        latitude=48.63,
        longitude=2.44,
    )
    ProgrammeMembership.objects.create(programme="ti", commune=commune, source="test")
    return commune


@pytest.fixture
def wave(db):
    """Wave 1 of campaign "ami2", closed, results published at PUBLISHES_AT."""
    return WaveFactory(
        campaign__slug="ami2",
        campaign__name="Au cœur des territoires — 2e AMI",
        number=1,
        opens_at=PUBLISHES_AT - timedelta(days=120),
        closes_at=PUBLISHES_AT - timedelta(days=30),
        publishes_at=PUBLISHES_AT,
    )


@pytest.fixture
def laureates(wave, chalon, evry):
    return [
        laureate(
            wave,
            commune=chalon,
            title="Campus connecté de Chalon",
            public_summary="Former à l'industrie à Chalon-sur-Saône.",
        ),
        laureate(wave, commune=evry, title="Antenne d'Évry", public_summary="Métiers du numérique en Île-de-France."),
    ]


@pytest.fixture
def epci_laureate(wave, idf):
    """An intercommunality laureate in Territoires d'industrie through one of its communes (not itself a laureate)."""
    epci = EpciFactory(siren="200057859", name="Grand Paris Sud", region=idf.region)
    member = CommuneFactory(insee_code="91174", name="Corbeil-Essonnes", departement=idf, epci=epci)
    ProgrammeMembership.objects.create(programme="ti", commune=member, source="test")
    return laureate(wave, commune=None, epci=epci, title="Campus de Grand Paris Sud")
