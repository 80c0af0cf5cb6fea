"""The dossier list's score columns read the page's reviews as plain values (selectors.with_scores_for): they must
show exactly what ``score_for`` computes from the reviews as objects, under the same visibility rule, and the
list's markup must stay Django's (the admin's script selects rows by it)."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from reviews import selectors
from reviews.admin.dossier import DossierAdmin
from reviews.models import ReviewStatus

from .factories import dossier_in, review

pytestmark = pytest.mark.django_db

LIST = "admin:applications_dossier_changelist"


def _columns(client, dossier) -> tuple:
    """(score, spread, completed reviews) as the list shows them for ``dossier``."""
    response = client.get(reverse(LIST))
    row = next(row for row in response.context["cl"].result_list if row.pk == dossier.pk)
    return tuple(column(row) for column in response.context["cl"].list_display[-3:])


def _from_objects(user, dossier):
    """``score_for`` from the reviews loaded as objects (the dossier page's way)."""
    return selectors.score_for(user=user, dossier=selectors.dossiers_for_staff(user).get(pk=dossier.pk))


def test_a_reviewer_sees_no_colleagues_score_in_the_list_before_completing_their_own(world, login):
    review(world.dossier_bfc, world.users["reviewer_bfc2"], [5, 10])  # 20
    review(world.dossier_bfc, world.users["reviewer_bfc"], [4, None], completed=False)

    assert _columns(login(world.users["reviewer_bfc"]), world.dossier_bfc) == ("—", "—", 0)


def test_a_reviewer_sees_every_score_in_the_list_once_their_own_is_completed(world, login):
    review(world.dossier_bfc, world.users["reviewer_bfc2"], [5, 10])  # 20
    review(world.dossier_bfc, world.users["reviewer_bfc"], [4, 5])  # 12

    assert _columns(login(world.users["reviewer_bfc"]), world.dossier_bfc) == (Decimal("16.00"), Decimal("8.00"), 2)


def test_the_coordinator_sees_every_completed_score_in_the_list_drafts_left_out(world, login):
    review(world.dossier_bfc, world.users["reviewer_bfc2"], [1, 1])  # 2.67
    review(world.dossier_bfc, world.users["reviewer_bfc"], [4, None], completed=False)

    assert _columns(login(world.users["coordinator"]), world.dossier_bfc) == (
        Decimal("2.67"),
        "—",
        1,
    )  # a spread of 0 shows as "—"


@pytest.mark.parametrize("role", ["reviewer_bfc", "reviewer_bfc2", "coordinator", "committee"])
def test_list_scores_equal_score_for_from_the_reviews_as_objects(world, role):
    """Completed, draft, withdrawn and unscored reviews, with thirds that do not fall on a hundredth."""
    user = world.users[role]
    plain = dossier_in(world.bfc, wave=world.wave, reference="AMI-S-0001")
    review(plain, world.users["reviewer_bfc"], [1, 1])
    review(plain, world.users["reviewer_bfc2"], [2, 7])
    nothing_scored = dossier_in(world.bfc, wave=world.wave, reference="AMI-S-0002")
    review(nothing_scored, world.users["reviewer_bfc2"], [None, None])
    review(nothing_scored, world.users["reviewer_bfc"], [3, None], completed=False)
    withdrawn = review(world.dossier_bfc, world.users["reviewer_bfc"], [5, 10])
    withdrawn.status = ReviewStatus.WITHDRAWN
    withdrawn.save()
    review(world.dossier_bfc, world.users["reviewer_bfc2"], [3, 3])

    listed = selectors.with_scores_for(selectors.dossiers_for_staff(user).prefetch_related(None), user=user)

    assert {d.reference for d in listed} >= {"AMI-S-0001", "AMI-S-0002", world.dossier_bfc.reference}
    for dossier in listed:
        assert selectors.score_for(user=user, dossier=dossier) == _from_objects(user, dossier), dossier.reference


def test_the_action_checkbox_is_djangos_markup(world):
    dossier = world.dossier_bfc
    dossier.commune.name = 'Saint-Jean "<les>" & Bains'
    model_admin = DossierAdmin(type(dossier), admin.site)

    assert model_admin.action_checkbox(dossier) == admin.ModelAdmin.action_checkbox(model_admin, dossier)
