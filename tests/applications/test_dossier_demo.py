"""The demo dossiers: created through the services, once."""

import io

import pytest

from applications import demo
from applications.domain.campaigns import ensure_demo_campaign
from applications.models import Dossier
from applications.queries import completeness
from tests.factories import official

pytestmark = pytest.mark.django_db


def test_seed_dossiers_creates_a_half_filled_and_a_complete_draft_once():
    ensure_demo_campaign()
    officials = {"official_a": official(), "official_b": official()}
    demo.seed_dossiers(officials=officials, stdout=io.StringIO())
    demo.seed_dossiers(officials=officials, stdout=io.StringIO())
    half, complete = (Dossier.objects.get(owner=officials[key]) for key in ("official_a", "official_b"))
    assert completeness.dossier_completeness(half) and completeness.dossier_completeness(complete) == []
    assert Dossier.objects.count() == 2


def test_seed_dossiers_verifies_the_mandate_of_the_complete_drafts_holder_only():
    from accounts.roles import Role
    from tests.reviews.factories import staff

    ensure_demo_campaign()
    officials = {"official_a": official(), "official_b": official(), "coordinator": staff(Role.COORDINATOR)}
    demo.seed_dossiers(officials=officials, stdout=io.StringIO())
    half, complete = (Dossier.objects.get(owner=officials[key]) for key in ("official_a", "official_b"))
    assert complete.is_holder_mandate_verified and complete.mandate_verified_by == officials["coordinator"]
    assert not half.is_holder_mandate_verified
