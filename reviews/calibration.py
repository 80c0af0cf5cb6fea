"""Calibration of the reviewers' severity, and the disagreement threshold (reviews/README.md, "Calibration").

Reviewers differ in severity: one gives 8/20 where another gives 14. The calibrated score corrects each reviewer's
offset with a simple, explainable formula, over the completed reviews of the campaign:

- campaign mean = mean of the scores of every completed review of the campaign;
- a reviewer's offset = campaign mean − that reviewer's mean, rounded to the hundredth, applied only once they
  have completed ``REVIEW_CALIBRATION_MIN_REVIEWS`` reviews in the campaign (below that: no correction, offset 0);
- a calibrated review score = review score + offset, kept between 0 and 20;
- a dossier's calibrated score = mean of its completed reviews' calibrated scores, rounded to the hundredth.

The offsets come from one aggregate query (``campaign_calibration``); the arithmetic below runs on rows already
loaded, and selectors.ranked_dossiers computes the same formula in the database to sort by it.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from reviews.scoring import HUNDREDTH, TWENTY, review_score

ZERO = Decimal(0)


def _round(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def disagreement_spread() -> Decimal:
    """The spread (points out of 20) beyond which the reviewers of a dossier are said to disagree."""
    return Decimal(str(settings.REVIEW_DISAGREEMENT_SPREAD))


def is_disagreement(spread: Decimal | None) -> bool:
    """Whether completed reviews whose scores differ by ``spread`` disagree (strictly more than the setting)."""
    return spread is not None and spread > disagreement_spread()


def minimum_reviews() -> int:
    return settings.REVIEW_CALIBRATION_MIN_REVIEWS


@dataclass(frozen=True)
class ReviewerSeverity:
    """A reviewer's completed, scored reviews in the campaign: how many, their mean, the offset applied."""

    reviews: int
    mean: Decimal
    offset: Decimal


@dataclass(frozen=True)
class Calibration:
    """The offsets of one campaign's reviewers (reviewer id → offset; only those at or above the minimum)."""

    campaign_mean: Decimal | None
    offsets: dict[int, Decimal] = field(default_factory=dict)
    reviewers: dict[int, ReviewerSeverity] = field(default_factory=dict)

    def calibrated(self, *, reviewer_id: int, score: Decimal) -> Decimal:
        """One review's calibrated score: ``score + offset``, between 0 and 20."""
        return min(TWENTY, max(ZERO, score + self.offsets.get(reviewer_id, ZERO)))

    def dossier_mean(self, reviews) -> Decimal | None:
        """Mean of the calibrated scores of the completed reviews among ``reviews`` (prefetched scores)."""
        from reviews.models import ReviewStatus

        return self.mean_of(
            (r.reviewer_id, review_score(r.scores.all())) for r in reviews if r.status == ReviewStatus.COMPLETED
        )

    def mean_of(self, scores) -> Decimal | None:
        """The same mean from (reviewer id, score) pairs of completed reviews (``Review.score``; None is skipped)."""
        values = [self.calibrated(reviewer_id=reviewer_id, score=v) for reviewer_id, v in scores if v is not None]
        return _round(sum(values, ZERO) / len(values)) if values else None


def calibration_from(rows, *, min_reviews: int | None = None) -> Calibration:
    """The calibration of ``rows`` = (reviewer id, number of scored completed reviews, sum of their scores)."""
    min_reviews = minimum_reviews() if min_reviews is None else min_reviews
    rows = [(reviewer_id, n, _round(Decimal(str(total)))) for reviewer_id, n, total in rows if n]
    count = sum(n for _r, n, _t in rows)
    if not count:
        return Calibration(campaign_mean=None)
    campaign_mean = sum((total for _r, _n, total in rows), ZERO) / count
    reviewers = {}
    for reviewer_id, n, total in rows:
        mean = total / n
        offset = _round(campaign_mean - mean) if n >= min_reviews else ZERO
        reviewers[reviewer_id] = ReviewerSeverity(reviews=n, mean=_round(mean), offset=offset)
    offsets = {pk: severity.offset for pk, severity in reviewers.items() if severity.offset}
    return Calibration(campaign_mean=_round(campaign_mean), offsets=offsets, reviewers=reviewers)


def campaign_calibration(*, campaign_id: int, min_reviews: int | None = None) -> Calibration:
    """The calibration of a campaign's reviewers, from its completed reviews' stored scores: one aggregate query."""
    from django.db.models import Count, DecimalField, Sum

    from reviews.models import Review, ReviewStatus

    decimal = DecimalField(max_digits=14, decimal_places=6)
    rows = (
        Review.objects.filter(dossier__campaign_id=campaign_id, status=ReviewStatus.COMPLETED)
        .order_by()
        .values("reviewer")
        .annotate(n=Count("score"), total=Sum("score", output_field=decimal))
        .values_list("reviewer", "n", "total")
    )
    return calibration_from(list(rows), min_reviews=min_reviews)
