"""Calibrated scores (reviews/calibration.py) and disagreement flags, with hand-computed fixtures.

The world's grid has criteria (weight 1, out of 5) and (weight 2, out of 10). These tests score both criteria
so that a review's score is 20 × (p1/5 + 2·p2/10) / 3: [0, 3] = 4, [3, 3] = 8, [3, 6] = 12, [5, 7] = 16,
[5, 10] = 20.
"""

from decimal import Decimal

import pytest

from reviews import selectors
from reviews.calibration import Calibration, calibration_from, campaign_calibration

from .factories import dossier_in, review

pytestmark = pytest.mark.django_db

POINTS = {4: [0, 3], 8: [3, 3], 12: [3, 6], 16: [5, 7], 20: [5, 10]}


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.REVIEW_CALIBRATION_MIN_REVIEWS = 3
    settings.REVIEW_DISAGREEMENT_SPREAD = 4


@pytest.fixture
def severities(world):
    """A (severe) scores 4, 8, 12: mean 8; B (lenient) 12, 20, 16: mean 16; C one review, 20.
    Campaign mean = (4 + 8 + 12 + 12 + 20 + 16 + 20) / 7 = 92 / 7 = 13.142857…
    Offsets: A = 13.142857 − 8 = +5.14; B = 13.142857 − 16 = −2.86; C: one review, below 3, no correction."""
    a, b, c = (world.users[name] for name in ("reviewer_bfc", "reviewer_bfc2", "reviewer_hdf"))
    made = {}
    plan = {
        "AMI-C-1": [(a, 4), (b, 12)],  # raw 8, calibrated (9.14 + 9.14) / 2 = 9.14, spread 8
        "AMI-C-2": [(a, 8)],  # raw 8, calibrated 13.14
        "AMI-C-3": [(b, 20)],  # raw 20, calibrated 17.14
        "AMI-C-4": [(c, 20)],  # raw 20, calibrated 20 (C has one review: no correction)
        "AMI-C-5": [(b, 16)],  # raw 16, calibrated 13.14
        "AMI-C-6": [(a, 12)],  # raw 12, calibrated 17.14
    }
    for reference, reviews in plan.items():
        dossier = dossier_in(world.hdf if reference == "AMI-C-4" else world.bfc, wave=world.wave, reference=reference)
        for reviewer, score in reviews:
            review(dossier, reviewer, POINTS[score])
        made[reference] = dossier
    return made


def test_campaign_calibration_offsets_each_reviewer_at_or_above_the_minimum(world, severities):
    calibration = campaign_calibration(campaign_id=world.campaign.pk)

    a, b, c = (world.users[name].pk for name in ("reviewer_bfc", "reviewer_bfc2", "reviewer_hdf"))
    assert calibration.campaign_mean == Decimal("13.14")
    assert calibration.offsets == {a: Decimal("5.14"), b: Decimal("-2.86")}
    assert (calibration.reviewers[c].reviews, calibration.reviewers[c].offset) == (1, Decimal("0"))
    assert (calibration.reviewers[a].mean, calibration.reviewers[b].mean) == (Decimal("8.00"), Decimal("16.00"))


def test_ranking_shows_raw_and_calibrated_scores_side_by_side(world, severities):
    rows = selectors.ranking(user=world.users["committee"], wave=world.wave)

    shown = {r.dossier.reference: (str(r.score.mean), str(r.calibrated)) for r in rows}
    assert shown["AMI-C-1"] == ("8.00", "9.14")
    assert shown["AMI-C-2"] == ("8.00", "13.14")
    assert shown["AMI-C-3"] == ("20.00", "17.14")
    assert shown["AMI-C-4"] == ("20.00", "20.00")
    assert shown["AMI-C-6"] == ("12.00", "17.14")
    assert shown["AMI-BFC-0001"] == ("None", "None")


def test_ranking_by_raw_mean_and_by_calibrated_score(world, severities):
    raw = selectors.ranking(user=world.users["committee"], wave=world.wave)
    calibrated = selectors.ranking(user=world.users["committee"], wave=world.wave, sort="calibrated")

    assert [r.dossier.reference for r in raw][:6] == ["AMI-C-3", "AMI-C-4", "AMI-C-5", "AMI-C-6", "AMI-C-1", "AMI-C-2"]
    # Ties on the calibrated score (17.14, 13.14) are broken by the raw mean, then the reference.
    assert [r.dossier.reference for r in calibrated] == [
        "AMI-C-4",
        "AMI-C-3",
        "AMI-C-6",
        "AMI-C-5",
        "AMI-C-2",
        "AMI-C-1",
        "AMI-BFC-0001",
        "AMI-HDF-0001",
    ]
