"""Weighted score arithmetic: reviews out of 20, dossier mean and spread, unfinished reviews excluded."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reviews import selectors
from reviews.models import Criterion, Score
from reviews.scoring import review_score

from .factories import review

pytestmark = pytest.mark.django_db


def _score(world):
    dossier = selectors.dossiers_for_staff(world.users["coordinator"]).get(pk=world.dossier_bfc.pk)
    return selectors.score_of(dossier)


def test_review_score_is_the_weighted_mean_of_the_criteria_out_of_20(world):
    # criterion 1: weight 1, 4/5 = 0.8; criterion 2: weight 2, 5/10 = 0.5 → (0.8 + 1.0) / 3 × 20 = 12
    made = review(world.dossier_bfc, world.users["reviewer_bfc"], [4, 5])
    assert review_score(made.scores.select_related("criterion")) == Decimal("12.00")


def test_review_score_rounds_to_the_hundredth(world):
    # (1 × 1/5 + 2 × 1/10) / 3 × 20 = 2.666… → 2.67
    made = review(world.dossier_bfc, world.users["reviewer_bfc"], [1, 1])
    assert review_score(made.scores.select_related("criterion")) == Decimal("2.67")


def test_dossier_score_is_the_mean_of_completed_reviews_with_their_spread(world):
    review(world.dossier_bfc, world.users["reviewer_bfc"], [5, 10])  # 20
    review(world.dossier_bfc, world.users["reviewer_bfc2"], [4, 5])  # 12
    score = _score(world)
    assert (score.mean, score.spread, score.std_dev, score.completed) == (
        Decimal("16.00"),
        Decimal("8.00"),
        Decimal("4.00"),
        2,
    )


def test_unfinished_reviews_do_not_count_in_the_dossier_score(world):
    review(world.dossier_bfc, world.users["reviewer_bfc"], [4, 5])  # 12
    review(world.dossier_bfc, world.users["reviewer_bfc2"], [0, 0], completed=False)
    score = _score(world)
    assert (score.mean, score.spread, score.completed, score.drafts) == (Decimal("12.00"), Decimal("0.00"), 1, 1)


def test_a_dossier_with_only_drafts_has_no_score(world):
    review(world.dossier_bfc, world.users["reviewer_bfc"], [4, 5], completed=False)
    score = _score(world)
    assert score.mean is None and score.spread is None and score.drafts == 1


def test_points_above_the_criterion_scale_are_refused(world):
    made = review(world.dossier_bfc, world.users["reviewer_bfc"], [None, None], completed=False)
    score = made.scores.select_related("criterion").first()
    score.points = 6
    with pytest.raises(ValidationError) as refused:
        score.full_clean()
    assert "points" in refused.value.message_dict


# --- Grid locking ----------------------------------------------------------------------------------------------


def test_grid_can_be_changed_while_no_review_exists(world):
    criterion = world.campaign.scoring_grid.criteria.first()
    criterion.weight = Decimal("3")
    criterion.full_clean()


def test_changing_a_criterion_after_a_review_exists_is_refused_with_a_french_message(world, settings):
    from django.utils import translation

    review(world.dossier_bfc, world.users["reviewer_bfc"], [None, None], completed=False)
    criterion = world.campaign.scoring_grid.criteria.first()
    criterion.max_points = 20
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        criterion.full_clean()
    assert "grille" in " ".join(refused.value.messages)


def test_adding_a_criterion_after_a_review_exists_is_refused(world):
    review(world.dossier_bfc, world.users["reviewer_bfc"], [3, 3])
    added = Criterion(grid=world.campaign.scoring_grid, label="Nouveau", weight=1, max_points=5)
    with pytest.raises(ValidationError):
        added.full_clean()


def test_unscored_score_rows_are_kept_as_null(world):
    made = review(world.dossier_bfc, world.users["reviewer_bfc"], [None, 3], completed=False)
    assert Score.objects.filter(review=made, points__isnull=True).count() == 1
