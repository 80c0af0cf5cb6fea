"""A small review world: two régions (BFC, HDF), reviewers, a coordinator, a committee member, the press, an
administrator; a closed wave whose publication is still to come, a scoring grid, dossiers in each région."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from applications.states import DossierStatus
from tests.factories import RegionFactory, UserFactory, WaveFactory

from .factories import dossier_in, grid, reviewer_of, staff


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@pytest.fixture
def world(db):
    now = timezone.now()
    bfc = RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    hdf = RegionFactory(code="32", name="Hauts-de-France")
    wave = WaveFactory(
        opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1), publishes_at=now + timedelta(days=20)
    )
    grid(wave.campaign)
    users = {
        "reviewer_bfc": reviewer_of(bfc, email="relecteur.bfc@example.fr"),
        "reviewer_bfc2": reviewer_of(bfc, email="relecteur2.bfc@example.fr"),
        "reviewer_hdf": reviewer_of(hdf, email="relecteur.hdf@example.fr"),
        "coordinator": staff(Role.COORDINATOR, email="coordination@example.fr"),
        "committee": staff(Role.COMMITTEE, email="comite@example.fr"),
        "press": staff(Role.PRESS, email="presse@example.fr"),
        "administrator": staff(Role.ADMINISTRATOR, email="admin@example.fr"),
        "official": UserFactory(email="elu@example.fr"),
    }
    objects = {
        "bfc": bfc,
        "hdf": hdf,
        "wave": wave,
        "campaign": wave.campaign,
        "dossier_bfc": dossier_in(bfc, wave=wave, reference="AMI-BFC-0001"),
        "dossier_hdf": dossier_in(hdf, wave=wave, reference="AMI-HDF-0001"),
        "draft_bfc": dossier_in(bfc, wave=wave, status=DossierStatus.DRAFT, reference="AMI-BFC-0002"),
    }
    return World(users=users, objects=objects)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
