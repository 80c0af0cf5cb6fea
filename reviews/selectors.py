"""Named reads of the review workflow: the admin's dossier list, scores, rankings and the dashboard figures.

Everything starts from ``Dossier.objects.visible_to(user)`` so a reviewer's lists, counts and charts never include
another région's dossiers. Scores are computed from prefetched rows or, for rankings and aggregates, from the
completed reviews' stored scores (``Review.score``): a fixed number of queries whatever the rows.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, Round
from django.utils import timezone

from accounts.roles import Role
from applications.models import Dossier
from applications.rules import can_see_decision, knows_decisions_early, sees_all_dossiers
from applications.states import DECISION_STATUSES, DossierStatus
from cities.models import Programme
from cities.selectors import programmes_of_applicants
from reviews import calibration as calibrating
from reviews.models import Assignment, Decision, Review, ReviewStatus
from reviews.scoring import DossierScore, dossier_score, score_of_values


def scored_reviews():
    """Reviews that count or may count (drafts and completed), with what the arithmetic needs."""
    return (
        Review.objects.exclude(status=ReviewStatus.WITHDRAWN)
        .select_related("reviewer")
        .prefetch_related("scores__criterion")
    )


def dossiers_for_staff(user, *, now: datetime | None = None):
    """The dossiers ``user`` sees in the admin, ready for the list: applicant, région, wave and reviews loaded,
    with the status they may see at ``now`` (``shown_status``: a regional reviewer sees no decision before its
    wave's publication)."""
    return (
        _staff_visible(user)
        .with_shown_status(user=user, now=now or timezone.now())
        .select_related("campaign", "wave__campaign", "region", "commune", "epci")
        .prefetch_related(Prefetch("reviews", queryset=scored_reviews()))
    )


def for_the_list(dossiers):
    """``dossiers_for_staff`` rows narrowed to what the admin's list shows (reference, applicant, région, wave and
    the shown status): no long text of the dossier, no reviews (the list takes its scores from
    ``with_scores_for``)."""
    return (
        dossiers.prefetch_related(None)
        .select_related(None)
        .select_related("wave__campaign", "region", "commune", "epci")
        .only(
            "reference",
            "status",
            "wave__number",
            "wave__campaign__name",
            "region__name",
            "commune__name",
            "epci__name",
        )
    )


def _staff_visible(user):
    """The dossiers ``user`` sees in the admin (the same rows as ``dossiers_for_staff``, nothing annotated)."""
    if not (user.is_authenticated and user.is_staff):
        return Dossier.objects.none()
    return Dossier.objects.visible_to(user)


def regions_visible_to(user):
    """The régions offered in the admin's filters: those of the dossiers the user may see, nothing more."""
    from cities.models import Region

    return Region.objects.filter(pk__in=_staff_visible(user).values("region_id")).order_by("name")


def regions_of_wave(user, wave):
    """The régions of ``wave``'s dossiers that ``user`` sees (the ranking's région links): one EXISTS per région,
    which stops at its first dossier, instead of reading every dossier of the wave."""
    from cities.models import Region

    in_wave = _staff_visible(user).filter(wave=wave, region=OuterRef("pk"))
    return Region.objects.filter(Exists(in_wave)).order_by("name")


def waves_visible_to(user):
    """The waves offered in the admin's filters, campaign loaded: those of the dossiers the user may see."""
    from applications.models import Wave

    return Wave.objects.filter(pk__in=_staff_visible(user).values("wave_id")).select_related("campaign")


def score_of(dossier) -> DossierScore:
    """The dossier's score from all its reviews: for those who see every review (coordinators, committee)."""
    return dossier_score(list(dossier.reviews.all()))


# --- who sees which reviews: the one rule (reviews/README.md, "Who sees which reviews") ---------------------------


def reviews_visible_to(*, user, reviews, sees_all: bool | None = None) -> list:
    """Of ``reviews`` (the non-withdrawn reviews of ONE dossier), those ``user`` may read.

    Coordinators, committee members and superusers (``rules.sees_all_dossiers``) read every review. A reviewer
    reads their own review; colleagues' reviews (scores, comments, drafts) only once their own review of
    the dossier is completed, so no one scores under the influence of another. No query when ``reviews`` is a
    prefetched list. ``sees_all``: ``sees_all_dossiers(user)`` when the caller asked it already (a list asks once
    for all its rows).
    """
    reviews = list(reviews)
    if sees_all_dossiers(user) if sees_all is None else sees_all:
        return reviews
    own = [r for r in reviews if r.reviewer_id == user.pk]
    if any(r.status == ReviewStatus.COMPLETED for r in own):
        return reviews
    return own


def reviews_queryset_visible_to(user, reviews):
    """The same rule as ``reviews_visible_to``, as a filter on a Review queryset (the review admin's rows)."""
    if sees_all_dossiers(user):
        return reviews
    completed_by_user = Review.objects.filter(reviewer=user, status=ReviewStatus.COMPLETED).values("dossier_id")
    return reviews.filter(Q(reviewer=user) | Q(dossier_id__in=completed_by_user))


def others_reviews_hidden(*, user, reviews) -> bool:
    """Whether some review of the dossier is kept from ``user`` (the page then says why)."""
    reviews = list(reviews)
    return len(reviews_visible_to(user=user, reviews=reviews)) < len(reviews)


def score_for(*, user, dossier) -> DossierScore:
    """The dossier's score as ``user`` may see it: from the reviews they may read only (prefetched reviews).
    Kept on the dossier object for that user: a list reads it in several columns (score, spread, reviews done)."""
    scores = dossier.__dict__.setdefault("_scores_by_user", {})
    if user.pk not in scores:
        scores[user.pk] = dossier_score(reviews_visible_to(user=user, reviews=dossier.reviews.all()))
    return scores[user.pk]


@dataclass(frozen=True)
class _ReviewFigures:
    """What the score columns need of a review, read as plain values: ``reviews_visible_to`` reads the reviewer
    and status, ``scoring.score_of_values`` the score."""

    reviewer_id: int
    status: str
    value: Decimal | None


def with_scores_for(dossiers, *, user) -> list:
    """``dossiers`` (one list page) as a list, each with ``score_for(user=user, dossier=…)`` already computed, from
    one query for the whole page: each review's status and stored score (``Review.score``, written when it is
    completed) read as plain values, then the same rule (``reviews_visible_to``) and arithmetic (``scoring``) as
    ``score_for``."""
    from reviews.scoring import score_of_values

    dossiers = list(dossiers)
    figures = defaultdict(list)
    rows = (
        Review.objects.filter(dossier__in=[d.pk for d in dossiers])
        .exclude(status=ReviewStatus.WITHDRAWN)
        .order_by("pk")
        .values_list("dossier_id", "reviewer_id", "status", "score")
    )
    for dossier_id, reviewer_id, status, score in rows:
        figures[dossier_id].append(_ReviewFigures(reviewer_id, status, score))
    sees_all = sees_all_dossiers(user)
    for dossier in dossiers:
        visible = reviews_visible_to(user=user, reviews=figures[dossier.pk], sees_all=sees_all)
        completed = [r.value for r in visible if r.status == ReviewStatus.COMPLETED]
        drafts = sum(1 for r in visible if r.status == ReviewStatus.DRAFT)
        scores = dossier.__dict__.setdefault("_scores_by_user", {})
        scores[user.pk] = score_of_values(completed, drafts=drafts)
    return dossiers


@dataclass
class RankingRow:
    dossier: Dossier
    score: DossierScore
    programmes: list
    rank: int = 0
    calibrated: Decimal | None = None  # calibration.Calibration.dossier_mean
    nearest_antenna: object = None  # network.coverage.Nearest: the closest antenna open or being opened

    @property
    def disagreement(self) -> bool:
        """The reviewers disagree (spread above REVIEW_DISAGREEMENT_SPREAD); rankings show every review."""
        return calibrating.is_disagreement(self.score.spread)


RANKING_PAGE_SIZE = 50


class _Exact(Cast):
    """A number for exact division: numeric on PostgreSQL; on SQLite, whose NUMERIC keeps 3 an integer (so that
    3 / 5 would be 0), a floating-point REAL (there a mean falling exactly on a half hundredth may round the other
    way than scoring.py's Decimal: two such dossiers could swap places; PostgreSQL computes exactly)."""

    def __init__(self, expression):
        super().__init__(expression, DecimalField(max_digits=12, decimal_places=6))

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS REAL)", **extra_context)


def _mean_of_completed_reviews(value, *, decimal):
    """The mean of ``value`` (an expression on the dossier's ``reviews__``) over its completed reviews with a score,
    rounded to the hundredth, as an aggregate over the joined reviews: ordering a whole wave by it is one hash
    aggregate, where a subquery per dossier looked each dossier's reviews up one by one."""
    completed = Q(reviews__status=ReviewStatus.COMPLETED, reviews__score__isnull=False)
    return Round(Avg(value, filter=completed, output_field=decimal), 2, output_field=decimal)


def _mean_score_in_db():
    """A dossier's mean score: the mean of its completed reviews' stored scores (Review.score), rounded to the
    hundredth, as scoring.dossier_score computes it (an aggregate: annotate a dossier queryset with it)."""
    decimal = DecimalField(max_digits=12, decimal_places=6)
    return _mean_of_completed_reviews(_Exact("reviews__score"), decimal=decimal)


def _completed_review_values(**per_review):
    """The completed reviews of the outer dossier, each with its stored score as ``value`` (and the ``per_review``
    annotations), grouped by dossier for an aggregate."""
    return (
        Review.objects.filter(dossier=OuterRef("pk"), status=ReviewStatus.COMPLETED)
        .order_by()
        .annotate(value=_Exact("score"))
        .annotate(**per_review)
        .values("dossier")
    )


def _spread_in_db():
    """A dossier's spread: max − min of its completed reviews' scores (None without a scored review)."""
    decimal = DecimalField(max_digits=12, decimal_places=6)
    return Subquery(
        _completed_review_values().annotate(spread=Max("value") - Min("value")).values("spread"),
        output_field=decimal,
    )


def _calibrated_mean_in_db(calibration: calibrating.Calibration):
    """A dossier's calibrated score, as Calibration.dossier_mean computes it: the mean of its completed reviews'
    ``score + reviewer's offset`` kept between 0 and 20, rounded to the hundredth (an aggregate, as
    ``_mean_score_in_db``). The offsets (one per reviewer of the campaign at most) come from one earlier aggregate
    query and enter the SQL as constants."""
    decimal = DecimalField(max_digits=12, decimal_places=6)
    offset = Case(
        *[
            When(reviews__reviewer_id=reviewer_id, then=Value(value, output_field=decimal))
            for reviewer_id, value in sorted(calibration.offsets.items())
        ],
        default=Value(Decimal(0), output_field=decimal),
        output_field=decimal,
    )
    calibrated = Greatest(
        Value(Decimal(0), output_field=decimal),
        Least(Value(Decimal(20), output_field=decimal), _Exact("reviews__score") + offset, output_field=decimal),
        output_field=decimal,
    )
    return _mean_of_completed_reviews(calibrated, decimal=decimal)


def with_disagreement(dossiers, *, user):
    """Annotate ``score_spread`` and ``disagreement`` (spread above REVIEW_DISAGREEMENT_SPREAD) on ``dossiers``.

    Under the visibility rule (reviews_visible_to): for a reviewer, ``disagreement`` is true only on the dossiers
    whose own review they have completed (they then see every score), so the flag never tells them that colleagues
    disagree before they have scored; the spread itself is for those who see every review.
    """
    flagged = Q(score_spread__gt=calibrating.disagreement_spread())
    if not sees_all_dossiers(user):
        own_completed = Review.objects.filter(
            dossier=OuterRef("pk"), reviewer_id=user.pk, status=ReviewStatus.COMPLETED
        )
        flagged &= Q(Exists(own_completed))
    return dossiers.annotate(score_spread=_spread_in_db()).annotate(
        disagreement=Case(When(flagged, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


RANKING_SORTS = ("mean", "calibrated", "distance")


def ranked_dossiers(*, user, wave, region=None, sort: str = "mean", calibration=None):
    """Dossiers of ``wave`` under examination or decided, best score first, unscored last, then by reference.

    ``sort="mean"`` ranks by the raw mean of the completed reviews (``score_mean``); ``sort="calibrated"`` by the
    calibrated score (``score_calibrated``, reviews/calibration.py; ``calibration`` is the campaign's, computed
    here when not given), then the raw mean. Ordered by the database (one aggregate over the wave's reviews'
    stored scores); ranking_page loads only the rows of the page.
    """
    dossiers = _ranking_candidates(user=user, wave=wave, region=region).annotate(score_mean=_mean_score_in_db())
    if sort != "calibrated":
        return dossiers.order_by(F("score_mean").desc(nulls_last=True), "reference")
    if calibration is None:
        calibration = calibrating.campaign_calibration(campaign_id=wave.campaign_id)
    return dossiers.annotate(score_calibrated=_calibrated_mean_in_db(calibration)).order_by(
        F("score_calibrated").desc(nulls_last=True), F("score_mean").desc(nulls_last=True), "reference"
    )


def _ranking_candidates(*, user, wave, region=None):
    """The dossiers a ranking of ``wave`` holds for ``user`` (under examination or decided, in ``region`` if
    given), unordered: ranked_dossiers orders them; counting them needs neither their reviews nor their order."""
    if not (user.is_authenticated and user.is_staff):
        return Dossier.objects.none()
    dossiers = (
        Dossier.objects.visible_to(user)
        .filter(wave=wave)
        .exclude(status__in=[DossierStatus.DRAFT, DossierStatus.WITHDRAWN])
    )
    return dossiers if region is None else dossiers.filter(region=region)


def _farthest_from_the_network_first(ranked, network) -> list[int]:
    """The ranked dossiers' ids, farthest from the nearest antenna first (where the network is thinnest), those
    without coordinates last, ties in score order. Distances need every candidate's place: one query for all."""
    from network.coverage import nearest_antennas

    candidates = list(ranked.select_related("commune").only("pk", "epci_id", "commune__latitude", "commune__longitude"))
    nearest = nearest_antennas(candidates, today=timezone.localdate(), reference=network)
    order = {d.pk: position for position, d in enumerate(candidates)}
    return sorted(order, key=lambda pk: (nearest[pk] is None, -(nearest[pk].km if nearest[pk] else 0), order[pk]))


def ranking_page(*, user, wave, region=None, page=1, per_page: int = RANKING_PAGE_SIZE, sort: str = "mean") -> Page:
    """One page of the ranking: ``object_list`` holds RankingRows ranked 1, 2, 3… across pages, each with its raw
    and calibrated scores (the campaign's calibration: one aggregate query, whatever the sort)."""
    calibration = calibrating.campaign_calibration(campaign_id=wave.campaign_id)
    # Rank narrow rows (id and score), then load the page's dossiers with everything the table shows.
    from network.coverage import nearest_antennas, reference_points

    network = reference_points(today=timezone.localdate())
    ranked = ranked_dossiers(user=user, wave=wave, region=region, sort=sort, calibration=calibration)
    if sort == "distance":
        ranked = _farthest_from_the_network_first(ranked, network)
    else:
        ranked = ranked.values_list("pk", flat=True)
    paginator = Paginator(ranked, per_page)
    # Counted without the scores: the ranked queryset groups every review of the wave to order the dossiers.
    paginator.count = _ranking_candidates(user=user, wave=wave, region=region).count()
    found = paginator.get_page(page)
    ids = list(found.object_list)
    loaded = _ranking_dossiers(user, ids)
    dossiers = [loaded[pk] for pk in ids]
    reviews = _stored_scores_by_dossier(ids)
    programmes = programmes_of_applicants(dossiers)
    nearest = nearest_antennas(dossiers, today=timezone.localdate(), reference=network)
    found.object_list = [
        RankingRow(
            d,
            score_of_values(
                [score for _reviewer, status, score in reviews[d.pk] if status == ReviewStatus.COMPLETED],
                drafts=sum(1 for _reviewer, status, _score in reviews[d.pk] if status == ReviewStatus.DRAFT),
            ),
            [str(Programme(code).label) for code in programmes[d.pk]],
            rank=found.start_index() + i,
            calibrated=calibration.mean_of(
                (reviewer, score) for reviewer, status, score in reviews[d.pk] if status == ReviewStatus.COMPLETED
            ),
            nearest_antenna=nearest[d.pk],
        )
        for i, d in enumerate(dossiers)
    ]
    found.calibration = calibration
    return found


# What a ranking row reads of its dossier (the table, the nearest antenna, the shown status): not the long texts.
_RANKING_COLUMNS = (
    "reference",
    "status",
    "decided_at",
    "wave_id",
    "commune__name",
    "commune__latitude",
    "commune__longitude",
    "epci__name",
    "region__name",
)


def _ranking_dossiers(user, ids) -> dict:
    """The page's dossiers by id with what the ranking's table shows (applicant, région, status as ``user`` may see
    it), without their reviews (scores: ``_stored_scores_by_dossier``) or programmes (``programmes_of_applicants``)."""
    return (
        _staff_visible(user)
        .with_shown_status(user=user, now=timezone.now())
        .select_related("region", "commune", "epci")
        .only(*_RANKING_COLUMNS)
        .filter(pk__in=ids)
        .in_bulk()
    )


def _stored_scores_by_dossier(ids) -> dict[int, list]:
    """(reviewer id, status, stored score) of the non-withdrawn reviews of the dossiers ``ids``: one narrow query."""
    found = defaultdict(list)
    rows = (
        Review.objects.filter(dossier_id__in=ids)
        .exclude(status=ReviewStatus.WITHDRAWN)
        .order_by()
        .values_list("dossier_id", "reviewer_id", "status", "score")
    )
    for dossier_id, *review in rows:
        found[dossier_id].append(review)
    return found


def ranking(
    *, user, wave, region=None, page=1, per_page: int = RANKING_PAGE_SIZE, sort: str = "mean"
) -> list[RankingRow]:
    """The rows of one page of the ranking (see ranking_page)."""
    return ranking_page(user=user, wave=wave, region=region, page=page, per_page=per_page, sort=sort).object_list


def _count_of(queryset, field: str):
    """COUNT of ``queryset``'s rows per ``field`` = outer pk, as a subquery: one per relation, no joined product."""
    return Coalesce(
        Subquery(
            queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def reviewer_progress(*, user) -> list[dict]:
    """Per reviewer: open assignments, completed and draft reviews. A reviewer sees only their own line."""
    users = get_user_model().objects.filter(groups__name=Role.REGIONAL_REVIEWER, is_active=True)
    if not sees_all_dossiers(user):
        users = users.filter(pk=user.pk)
    # Counting two joined relations at once multiplied assignments by reviews before DISTINCT removed them:
    # each count is its own subquery instead.
    users = users.annotate(
        assigned=_count_of(Assignment.objects.filter(released_at__isnull=True), "reviewer"),
        completed=_count_of(Review.objects.filter(status=ReviewStatus.COMPLETED), "reviewer"),
        drafts=_count_of(Review.objects.filter(status=ReviewStatus.DRAFT), "reviewer"),
    ).order_by("last_name", "first_name", "email")
    return [
        {
            "reviewer": u,
            "assigned": u.assigned,
            "completed": u.completed,
            "drafts": u.drafts,
            "pending": max(0, u.assigned - u.completed),
        }
        for u in users
    ]


def dashboard(*, user, now: datetime | None = None) -> dict:
    """Counts of the visible dossiers per wave, status (as ``user`` may see it at ``now``), région and programme:
    aggregates, no dossier loaded."""
    from applications.models import Wave
    from cities.models import Programme
    from cities.selectors import programme_flag

    dossiers = Dossier.objects.visible_to(user).with_shown_status(user=user, now=now or timezone.now()).order_by()
    labels = dict(DossierStatus.choices)
    by_status = dict(dossiers.values_list("shown_status").annotate(n=Count("pk")))
    per_wave = dict(dossiers.values_list("wave_id").annotate(n=Count("pk")))
    waves = {w.pk: str(w) for w in Wave.objects.filter(pk__in=[pk for pk in per_wave if pk]).select_related("campaign")}
    by_wave = Counter()
    for wave_id, count in per_wave.items():
        by_wave[waves.get(wave_id, "—")] += count
    by_region = Counter()
    for name, count in dossiers.values_list("region__name").annotate(n=Count("pk")):
        by_region[name or "—"] += count
    flags = {code: programme_flag(code) for code in Programme.values}
    counts = dossiers.with_programmes().aggregate(
        total=Count("pk"),
        **{code: Count("pk", filter=Q(**{flag: True})) for code, flag in flags.items()},
        none=Count("pk", filter=Q(*[Q(**{flag: False}) for flag in flags.values()])),
    )
    return {
        "total": counts["total"],
        "by_status": [(str(labels[s]), by_status[s]) for s in DossierStatus.values if by_status.get(s)],
        "by_wave": sorted(by_wave.items()),
        "by_region": sorted(by_region.items()),
        "by_programme": [(str(label), counts[code]) for code, label in Programme.choices]
        + [(_no_programme_label(), counts["none"])],
    }


DISAGREEMENTS_SHOWN = 20


def disagreements(*, user, limit: int = DISAGREEMENTS_SHOWN) -> dict:
    """The visible dossiers flagged by ``with_disagreement`` for ``user`` (the visibility rule applies), largest
    spread first: their number and the first ``limit`` of them (``score_spread`` set), whatever their number in
    one aggregate over the completed reviews' stored scores (the number is a window count over its groups) and one
    query loading the dossiers shown (none when nothing is flagged)."""
    shown = list(
        _flagged_spreads(user)
        .annotate(flagged_count=Window(Count("*")))
        .order_by(F("spread").desc(), "dossier__reference")
        .values_list("dossier_id", "spread", "flagged_count")[:limit]
    )
    loaded = Dossier.objects.select_related("commune", "epci", "wave__campaign").in_bulk([pk for pk, *_ in shown])
    rows = []
    for dossier_id, spread, _count in shown:
        loaded[dossier_id].score_spread = spread
        rows.append(loaded[dossier_id])
    return {"count": shown[0][2] if shown else 0, "rows": rows}


def _flagged_spreads(user):
    """(dossier id, spread) of the dossiers ``with_disagreement`` flags for ``user``, as one aggregate over the
    completed reviews: the spread above REVIEW_DISAGREEMENT_SPREAD, among the visible dossiers; for a reviewer, only
    those whose own review they have completed."""
    reviews = Review.objects.filter(status=ReviewStatus.COMPLETED, dossier__in=Dossier.objects.visible_to(user))
    if not sees_all_dossiers(user):
        own_completed = Review.objects.filter(reviewer_id=user.pk, status=ReviewStatus.COMPLETED)
        reviews = reviews.filter(dossier_id__in=own_completed.values("dossier_id"))
    return (
        reviews.order_by()
        .values("dossier_id")
        .annotate(spread=Max("score") - Min("score"))
        .filter(spread__gt=calibrating.disagreement_spread())
    )


def _no_programme_label() -> str:
    from django.utils.translation import gettext

    return gettext("No programme")


def assignments_by_dossier(dossier_ids) -> dict[int, list]:
    """Active assignments per dossier, reviewer loaded, in one query."""
    found = defaultdict(list)
    for a in Assignment.objects.filter(dossier_id__in=dossier_ids, released_at__isnull=True).select_related("reviewer"):
        found[a.dossier_id].append(a)
    return found


def status_history(*, user, dossier, now: datetime | None = None) -> tuple:
    """The status changes and committee decisions of ``dossier`` that ``user`` may read at ``now``.

    A decision stays confidential until the publication of the wave it was taken in (applications.rules): for
    those who may not know it yet, its status change and its ``Decision`` row are left out.
    """
    now = now or timezone.now()
    transitions = dossier.transitions.select_related("by")
    decisions = Decision.objects.filter(dossier=dossier).select_related("decided_by")
    if knows_decisions_early(user):
        return transitions, decisions
    confidential = Q(wave__isnull=True) | Q(wave__publishes_at__gt=now)
    decisions = decisions.exclude(confidential)
    hidden = Decision.objects.filter(dossier=dossier).filter(confidential).exclude(transition=None)
    transitions = transitions.exclude(pk__in=hidden.values("transition_id"))
    if dossier.decided_at and not can_see_decision(user, dossier, now=now):  # a decision without a Decision row
        transitions = transitions.exclude(to_status__in=DECISION_STATUSES, at__gte=dossier.decided_at)
    return transitions, decisions
