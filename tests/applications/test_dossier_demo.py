"""The demo dossiers: created through the services, once."""

import io

import pytest

from applications import demo, services
from applications.campaigns import ensure_demo_campaign
from applications.models import Dossier
from tests.factories import official

pytestmark = pytest.mark.django_db


def test_seed_dossiers_creates_a_half_filled_and_a_complete_draft_once():
    ensure_demo_campaign()
    officials = {"official_a": official(), "official_b": official()}
    demo.seed_dossiers(officials=officials, stdout=io.StringIO())
    demo.seed_dossiers(officials=officials, stdout=io.StringIO())
    half, complete = (Dossier.objects.get(owner=officials[key]) for key in ("official_a", "official_b"))
    assert services.dossier_completeness(half) and services.dossier_completeness(complete) == []
    assert Dossier.objects.count() == 2
