"""Conflicts of interest: the dossier is reassigned and hidden from the reviewer, except the note of the conflict."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.models import Dossier
from reviews import selectors, services
from reviews.models import Assignment, ReviewStatus

from .factories import review, reviewer_of

pytestmark = pytest.mark.django_db


def _declare(world, user=None):
    return services.declare_conflict(
        dossier=world.dossier_bfc,
        reviewer=user or world.users["reviewer_bfc"],
        reason="Mon conjoint est adjoint au maire.",
    )


def test_declaring_a_conflict_reassigns_the_dossier_to_another_reviewer(world):
    third = reviewer_of(world.bfc, email="relecteur3.bfc@example.fr")
    services.assign_reviewers(dossiers=[world.dossier_bfc])
    _declare(world)
    active = set(
        Assignment.objects.filter(dossier=world.dossier_bfc, released_at__isnull=True).values_list(
            "reviewer", flat=True
        )
    )
    assert active == {world.users["reviewer_bfc2"].pk, third.pk}


def test_the_conflicted_reviewer_no_longer_sees_the_dossier(world):
    _declare(world)
    assert not Dossier.objects.visible_to(world.users["reviewer_bfc"]).filter(pk=world.dossier_bfc.pk).exists()


def test_the_dossier_page_is_a_404_for_the_conflicted_reviewer(world, login):
    _declare(world)
    url = reverse("admin:applications_dossier_change", args=[world.dossier_bfc.pk])
    assert login(world.users["reviewer_bfc"]).get(url).status_code == 404


def test_the_conflicted_reviewer_still_sees_the_note_of_their_declaration(world, login):
    _declare(world)
    response = login(world.users["reviewer_bfc"]).get(reverse("admin:reviews_conflictofinterest_changelist"))
    assert "AMI-BFC-0001" in response.content.decode()


def test_the_conflicted_reviewers_review_is_withdrawn_and_no_longer_counts(world):
    review(world.dossier_bfc, world.users["reviewer_bfc"], [5, 10])
    review(world.dossier_bfc, world.users["reviewer_bfc2"], [4, 5])
    _declare(world)
    assert world.dossier_bfc.reviews.get(reviewer=world.users["reviewer_bfc"]).status == ReviewStatus.WITHDRAWN
    dossier = selectors.dossiers_for_staff(world.users["coordinator"]).get(pk=world.dossier_bfc.pk)
    assert selectors.score_of(dossier).completed == 1


def test_withdrawing_the_conflicted_reviewers_review_is_logged_with_the_reason(world):
    review(world.dossier_bfc, world.users["reviewer_bfc"], [5, 10])
    _declare(world)
    log = world.dossier_bfc.reviews.get(reviewer=world.users["reviewer_bfc"]).transitions.get()
    assert (log.from_status, log.to_status, log.by) == (
        ReviewStatus.COMPLETED,
        ReviewStatus.WITHDRAWN,
        world.users["reviewer_bfc"],
    )
    assert log.reason == "Mon conjoint est adjoint au maire."


def test_the_conflicted_reviewer_no_longer_sees_the_reviews_of_the_dossier(world, login):
    mine = review(world.dossier_bfc, world.users["reviewer_bfc"], [3, 3], completed=False)
    _declare(world)
    client = login(world.users["reviewer_bfc"])
    assert client.get(reverse("admin:reviews_review_change", args=[mine.pk])).status_code == 404
    assert list(client.get(reverse("admin:reviews_review_changelist")).context["cl"].result_list) == []


def test_a_conflict_needs_a_reason(world):
    with pytest.raises(services.ReviewRefused):
        services.declare_conflict(dossier=world.dossier_bfc, reviewer=world.users["reviewer_bfc"], reason="  ")


def test_a_reviewer_of_another_region_cannot_declare_a_conflict(world):
    with pytest.raises(PermissionDenied):
        _declare(world, world.users["reviewer_hdf"])


def test_declaring_a_conflict_from_the_admin_page(world, login):
    url = reverse("admin:applications_dossier_conflict", args=[world.dossier_bfc.pk])
    response = login(world.users["reviewer_bfc"]).post(url, {"reason": "Ancien employé de la mairie."})
    assert response.status_code == 302
    assert world.dossier_bfc.conflicts.filter(reviewer=world.users["reviewer_bfc"]).exists()


def test_an_empty_reason_is_refused_with_the_form_shown_again(world, login):
    url = reverse("admin:applications_dossier_conflict", args=[world.dossier_bfc.pk])
    response = login(world.users["reviewer_bfc"]).post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert not world.dossier_bfc.conflicts.exists()
