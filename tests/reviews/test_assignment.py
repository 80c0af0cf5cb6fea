"""Routing of submitted dossiers to the reviewers of their région: at least two, least loaded first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.lifecycle import close_wave
from applications.states import DossierStatus
from notifications.models import EmailKind, OutboxMessage
from notifications.sending import render_message
from reviews import services
from reviews.models import Assignment
from tests.factories import WaveFactory

from .factories import dossier_in, review, reviewer_of

pytestmark = pytest.mark.django_db


def _reviewers_of(dossier):
    return set(
        Assignment.objects.filter(dossier=dossier, released_at__isnull=True).values_list("reviewer__email", flat=True)
    )


def test_each_dossier_gets_two_reviewers_of_its_region(world):
    services.assign_wave(wave=world.wave)
    assert _reviewers_of(world.dossier_bfc) == {"relecteur.bfc@example.fr", "relecteur2.bfc@example.fr"}


def test_a_region_with_a_single_reviewer_gives_that_one(world):
    services.assign_wave(wave=world.wave)
    assert _reviewers_of(world.dossier_hdf) == {"relecteur.hdf@example.fr"}


def test_drafts_are_not_assigned(world):
    services.assign_wave(wave=world.wave)
    assert not Assignment.objects.filter(dossier=world.draft_bfc).exists()


def test_the_least_loaded_reviewers_are_chosen_first(world):
    third = reviewer_of(world.bfc, email="relecteur3.bfc@example.fr")
    busy = dossier_in(world.bfc, wave=world.wave)
    services.assign_reviewers(dossiers=[busy])  # loads the first two reviewers by pk
    fresh = dossier_in(world.bfc, wave=world.wave)
    services.assign_reviewers(dossiers=[fresh])
    assert third.email in _reviewers_of(fresh)


def test_completed_reviews_no_longer_count_in_the_load(world):
    first, second = world.users["reviewer_bfc"], world.users["reviewer_bfc2"]
    third = reviewer_of(world.bfc, email="relecteur3.bfc@example.fr")
    done = dossier_in(world.bfc, wave=world.wave)
    Assignment.objects.create(dossier=done, reviewer=first, assigned_at=timezone.now())
    Assignment.objects.create(dossier=done, reviewer=third, assigned_at=timezone.now())
    review(done, first, [3, 3])  # first's assignment is finished; third's is open
    services.assign_reviewers(dossiers=[world.dossier_bfc])
    assert _reviewers_of(world.dossier_bfc) == {first.email, second.email}


def test_assignment_is_idempotent(world):
    services.assign_wave(wave=world.wave)
    assert services.assign_wave(wave=world.wave) == []
    assert Assignment.objects.filter(dossier=world.dossier_bfc).count() == 2


def test_each_assigned_reviewer_gets_one_email_listing_their_dossiers(world, django_capture_on_commit_callbacks):
    second = dossier_in(world.bfc, wave=world.wave, reference="AMI-BFC-0003")
    with django_capture_on_commit_callbacks():
        services.assign_wave(wave=world.wave)
    mails = OutboxMessage.objects.filter(kind=EmailKind.REVIEWER_ASSIGNMENT, recipient="relecteur.bfc@example.fr")
    assert mails.count() == 1
    body = render_message(mails.get()).body_text
    assert "AMI-BFC-0001" in body and second.reference in body


def test_closing_a_wave_assigns_its_dossiers_to_reviewers(db):
    from tests.factories import RegionFactory

    region = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    first, second = reviewer_of(region), reviewer_of(region)
    now = timezone.now()
    wave = WaveFactory(
        opens_at=now - timedelta(days=10), closes_at=now - timedelta(seconds=1), publishes_at=now + timedelta(days=10)
    )
    dossier = dossier_in(region, wave=wave, status=DossierStatus.SUBMITTED)
    assert close_wave(wave_id=wave.pk, now=now)
    assert _reviewers_of(dossier) == {first.email, second.email}


def test_coordinator_assigns_reviewers_on_demand_from_the_admin(world, login):
    response = login(world.users["coordinator"]).post(
        reverse("admin:applications_dossier_changelist"),
        {
            "action": "assign_reviewers",
            "_selected_action": [world.dossier_bfc.pk],
        },
    )
    assert response.status_code == 302
    assert len(_reviewers_of(world.dossier_bfc)) == 2


def test_reviewer_cannot_run_the_assignment_action(world, login):
    response = login(world.users["reviewer_bfc"]).post(
        reverse("admin:applications_dossier_changelist"),
        {
            "action": "assign_reviewers",
            "_selected_action": [world.dossier_bfc.pk],
        },
    )
    assert response.status_code == 302  # the admin answers "no action selected" and does nothing
    assert not Assignment.objects.exists()
