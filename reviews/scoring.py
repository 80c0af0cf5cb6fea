"""Score arithmetic, on plain objects already loaded (no query here, so list pages stay at a constant count).

A review's score is the weighted mean of its criteria, each brought to a fraction of its own scale, out of 20:
``20 × Σ(weight × points / max_points) / Σ(weight)``. A dossier's score is the mean of its completed reviews'
scores; the spread (max − min) and the standard deviation show the reviewers' disagreement. Drafts never count.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import pstdev

TWENTY = Decimal(20)
HUNDREDTH = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def review_score(scores) -> Decimal | None:
    """Weighted score /20 of one review's scores (objects with ``points`` and ``criterion``); None if none scored."""
    scored = [s for s in scores if s.points is not None]
    total_weight = sum((s.criterion.weight for s in scored), Decimal(0))
    if not scored or total_weight == 0:
        return None
    weighted = sum(
        (s.criterion.weight * Decimal(s.points) / Decimal(s.criterion.max_points) for s in scored), Decimal(0)
    )
    return _round(TWENTY * weighted / total_weight)


@dataclass(frozen=True)
class DossierScore:
    mean: Decimal | None
    spread: Decimal | None
    std_dev: Decimal | None
    completed: int
    drafts: int

    @property
    def has_score(self) -> bool:
        return self.mean is not None


def dossier_score(reviews) -> DossierScore:
    """Aggregate of a dossier's reviews (with ``status`` and prefetched ``scores__criterion``)."""
    from reviews.models import ReviewStatus

    completed = [r for r in reviews if r.status == ReviewStatus.COMPLETED]
    drafts = sum(1 for r in reviews if r.status == ReviewStatus.DRAFT)
    values = [review_score(r.scores.all()) for r in completed]
    return score_of_values(values, drafts=drafts)


def score_of_values(values, *, drafts: int) -> DossierScore:
    """Aggregate of a dossier's completed reviews given their scores (``Review.score``, None when nothing scored)
    and its number of drafts: the same figures as ``dossier_score``, without the scores' rows."""
    completed = len(values)
    values = [v for v in values if v is not None]
    if not values:
        return DossierScore(None, None, None, completed, drafts)
    mean = _round(sum(values, Decimal(0)) / len(values))
    spread = _round(max(values) - min(values))
    std_dev = _round(Decimal(str(pstdev([float(v) for v in values]))))
    return DossierScore(mean, spread, std_dev, completed, drafts)
