"""Named reads of the review workflow: the admin's dossier list, scores, rankings and the dashboard figures.

Everything starts from ``Dossier.objects.visible_to(user)`` so a reviewer's lists, counts and charts never include
another région's dossiers. Scores are computed from prefetched rows: a fixed number of queries whatever the rows.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.roles import Role
from applications.lifecycle import programmes_of
from applications.models import Dossier
from applications.rules import can_see_decision, knows_decisions_early, sees_all_dossiers
from applications.states import DECISION_STATUSES, DossierStatus

from .models import Assignment, Decision, Review, ReviewStatus
from .scoring import DossierScore, dossier_score


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
    if not (user.is_authenticated and user.is_staff):
        return Dossier.objects.none()
    return (
        Dossier.objects.visible_to(user)
        .with_shown_status(user=user, now=now or timezone.now())
        .select_related("campaign", "wave__campaign", "region", "commune", "epci")
        .prefetch_related(Prefetch("reviews", queryset=scored_reviews()))
    )


def regions_visible_to(user):
    """The régions offered in the admin's filters: those of the dossiers the user may see, nothing more."""
    from cities.models import Region

    return Region.objects.filter(pk__in=dossiers_for_staff(user).values("region_id")).order_by("name")


def score_of(dossier) -> DossierScore:
    return dossier_score(list(dossier.reviews.all()))


@dataclass
class RankingRow:
    dossier: Dossier
    score: DossierScore
    programmes: list
    rank: int = 0


def ranking(*, user, wave, region=None) -> list[RankingRow]:
    """Dossiers of ``wave`` under examination or decided, best score first (unscored last), ranked 1, 2, 3…"""
    from cities.models import Programme

    dossiers = list(
        dossiers_for_staff(user).filter(wave=wave).exclude(status__in=[DossierStatus.DRAFT, DossierStatus.WITHDRAWN])
    )
    if region is not None:
        dossiers = [d for d in dossiers if d.region_id == region.pk]
    programmes = programmes_of(dossiers)
    labels = dict(Programme.choices)
    rows = [
        RankingRow(d, score_of(d), [labels[c] for c in sorted(programmes.get(d.pk, ()))]) for d in dossiers
    ]
    rows.sort(key=lambda r: (r.score.mean is None, -(r.score.mean or 0), r.dossier.reference))
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return rows


def reviewer_progress(*, user) -> list[dict]:
    """Per reviewer: open assignments, completed and draft reviews. A reviewer sees only their own line."""
    users = get_user_model().objects.filter(groups__name=Role.REGIONAL_REVIEWER, is_active=True)
    if not sees_all_dossiers(user):
        users = users.filter(pk=user.pk)
    users = users.annotate(
        assigned=Count("review_assignments", filter=Q(review_assignments__released_at__isnull=True), distinct=True),
        completed=Count("reviews", filter=Q(reviews__status=ReviewStatus.COMPLETED), distinct=True),
        drafts=Count("reviews", filter=Q(reviews__status=ReviewStatus.DRAFT), distinct=True),
    ).order_by("last_name", "first_name", "email")
    return [
        {"reviewer": u, "assigned": u.assigned, "completed": u.completed, "drafts": u.drafts,
         "pending": max(0, u.assigned - u.completed)}
        for u in users
    ]


def dashboard(*, user, now: datetime | None = None) -> dict:
    """Counts of the visible dossiers per wave, status (as ``user`` may see it at ``now``), région and programme."""
    from cities.models import Programme

    dossiers = list(
        Dossier.objects.visible_to(user).with_shown_status(user=user, now=now or timezone.now())
        .select_related("wave__campaign", "region", "commune", "epci")
    )
    programmes = programmes_of(dossiers)
    labels = dict(DossierStatus.choices)
    by_status = Counter(d.shown_status for d in dossiers)
    by_wave = Counter(str(d.wave) if d.wave_id else "—" for d in dossiers)
    by_region = Counter(d.region.name if d.region_id else "—" for d in dossiers)
    by_programme = Counter(code for codes in programmes.values() for code in codes)
    return {
        "total": len(dossiers),
        "by_status": [(str(labels[s]), by_status[s]) for s in DossierStatus.values if by_status[s]],
        "by_wave": sorted(by_wave.items()),
        "by_region": sorted(by_region.items()),
        "by_programme": [(str(label), by_programme.get(code, 0)) for code, label in Programme.choices]
        + [(_no_programme_label(), sum(1 for codes in programmes.values() if not codes))],
    }


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
