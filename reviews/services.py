"""Review operations: assigning reviewers, conflicts of interest, scoring, internal notes and decisions.

Every function is keyword-only and atomic. E-mails go through the outbox inside the same transaction
(reviewer assignments only: decision e-mails are sent at the wave's publication by applications.domain.lifecycle).
"""

from collections import defaultdict
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from ami_portal.links import absolute_url
from applications.domain.submission import SubmissionRefused, reopen_dossier
from applications.models import Dossier
from applications.states import (
    DECISION_STATUSES,
    DossierStatus,
    TransitionNotAllowed,
    can_transition,
    transition_dossier,
)
from notifications.models import EmailKind
from notifications.services import queue_email
from reviews.models import (
    Assignment,
    ConflictOfInterest,
    Criterion,
    Decision,
    InternalNote,
    Review,
    ReviewStatus,
    ReviewTransition,
    Score,
    ScoringGrid,
)
from reviews.rules import REVIEWABLE_STATUSES
from reviews.scoring import review_score

REVIEWERS_PER_DOSSIER = 2


class ReviewRefused(ValidationError):
    """A review operation that the rules forbid; the message is meant for the user."""


# --- Assignment ------------------------------------------------------------------------------------------------


def eligible_reviewers(dossier: Dossier):
    """Active regional reviewers of the dossier's région who declared no conflict on it."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.REGIONAL_REVIEWER, staff_profile__regions=dossier.region_id)
        .exclude(conflicts__dossier=dossier)
        .distinct()
    )


def open_loads(user_ids) -> dict[int, int]:
    """Open assignments per reviewer: not released, and whose review is not completed yet."""
    completed = Review.objects.filter(
        reviewer_id=OuterRef("reviewer_id"), dossier_id=OuterRef("dossier_id"), status=ReviewStatus.COMPLETED
    )
    rows = (
        Assignment.objects.filter(reviewer_id__in=list(user_ids), released_at__isnull=True)
        .exclude(Exists(completed))
        .values("reviewer_id")
        .annotate(n=Count("pk"))
    )
    loads = dict.fromkeys(user_ids, 0)
    loads.update({row["reviewer_id"]: row["n"] for row in rows})
    return loads


def _assign_one(dossier: Dossier, *, by, now: datetime, loads: dict) -> list[Assignment]:
    active = set(dossier.assignments.filter(released_at__isnull=True).values_list("reviewer_id", flat=True))
    already = set(dossier.assignments.values_list("reviewer_id", flat=True))
    candidates = [u for u in eligible_reviewers(dossier) if u.pk not in already]
    loads.update(open_loads([u.pk for u in candidates if u.pk not in loads]))
    candidates.sort(key=lambda u: (loads[u.pk], u.pk))
    created = []
    for user in candidates[: max(0, REVIEWERS_PER_DOSSIER - len(active))]:
        created.append(Assignment.objects.create(dossier=dossier, reviewer=user, assigned_at=now, assigned_by=by))
        loads[user.pk] += 1
    return created


def assign_reviewers(*, dossiers, by=None, now: datetime | None = None) -> list[Assignment]:
    """Give each reviewable dossier at least two reviewers of its région (fewer if the région has fewer),
    choosing the least loaded first; each newly assigned reviewer gets one REVIEWER_ASSIGNMENT e-mail listing
    their new dossiers. Idempotent: a dossier that already has its reviewers gets none more. Atomic."""
    now = now or timezone.now()
    created: list[Assignment] = []
    loads: dict[int, int] = {}
    with transaction.atomic():
        for dossier in dossiers:
            if dossier.status in REVIEWABLE_STATUSES and dossier.region_id:
                created += _assign_one(dossier, by=by, now=now, loads=loads)
        _notify_assignments(created)
    return created


def assign_wave(*, wave, by=None, now: datetime | None = None) -> list[Assignment]:
    """Assign reviewers to every submitted or under-review dossier of ``wave`` (see assign_reviewers)."""
    dossiers = (
        Dossier.objects.filter(wave=wave, status__in=REVIEWABLE_STATUSES)
        .select_related("commune", "epci", "campaign", "wave")
        .order_by("pk")
    )
    return assign_reviewers(dossiers=dossiers, by=by, now=now)


def _notify_assignments(created: list[Assignment]) -> None:
    by_reviewer: dict = defaultdict(list)
    for assignment in created:
        by_reviewer[assignment.reviewer].append(assignment)
    for reviewer, assignments in by_reviewer.items():
        first = assignments[0]
        wave = first.dossier.wave
        context = {
            "campaign": first.dossier.campaign.name,
            "wave_number": wave.number if wave else "",
            "dossiers": [
                {
                    "reference": a.dossier.reference,
                    "applicant": a.dossier.applicant_name,
                    "url": absolute_url(reverse("admin:applications_dossier_change", args=[a.dossier_id])),
                }
                for a in assignments
            ],
            "review_url": absolute_url(reverse("admin:reviews_review_changelist")),
        }
        # The first new assignment's id names this batch: a later batch for the same reviewer is another e-mail.
        queue_email(
            kind=EmailKind.REVIEWER_ASSIGNMENT,
            key=f"reviewer-assignment:{first.pk}",
            recipient=reviewer,
            context=context,
        )


# --- Conflicts of interest -------------------------------------------------------------------------------------


def declare_conflict(*, dossier: Dossier, reviewer, reason: str, now: datetime | None = None) -> ConflictOfInterest:
    """Record that ``reviewer`` cannot review ``dossier``: their assignment is released, their review (draft or
    completed) withdrawn so it no longer counts, and another reviewer of the région is assigned if one is free.
    From then on the dossier and its scores are hidden from them. Atomic."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ReviewRefused(_("Say briefly why you cannot review this dossier (e.g. you are linked to the city)."))
    if not reviewer.has_perm("reviews.declare_conflict", dossier):
        raise PermissionDenied
    with transaction.atomic():
        conflict = ConflictOfInterest.objects.create(dossier=dossier, reviewer=reviewer, reason=reason, declared_at=now)
        dossier.assignments.filter(reviewer=reviewer, released_at__isnull=True).update(released_at=now)
        for review in (
            dossier.reviews.select_for_update().filter(reviewer=reviewer).exclude(status=ReviewStatus.WITHDRAWN)
        ):
            _set_review_status(review, ReviewStatus.WITHDRAWN, by=reviewer, now=now, reason=reason)
        assign_reviewers(dossiers=[dossier], by=None, now=now)
    return conflict


# --- Scoring grid and reviews ----------------------------------------------------------------------------------


def grid_for(dossier: Dossier) -> ScoringGrid | None:
    return ScoringGrid.objects.filter(campaign_id=dossier.campaign_id).first()


def start_review(*, dossier: Dossier, reviewer) -> Review:
    """The reviewer's review of ``dossier``, created as a draft with one empty score per criterion if needed.

    Refused when the reviewer may not score it (other région, conflict, not submitted) or the campaign has no
    grid yet. Idempotent."""
    if not reviewer.has_perm("reviews.score_dossier", dossier):
        raise PermissionDenied
    grid = grid_for(dossier)
    if grid is None or not grid.criteria.exists():
        raise ReviewRefused(_("The scoring grid of this campaign has not been defined yet."))
    with transaction.atomic():
        review, _created = Review.objects.get_or_create(dossier=dossier, reviewer=reviewer)
        existing = set(review.scores.values_list("criterion_id", flat=True))
        Score.objects.bulk_create(
            [Score(review=review, criterion=c) for c in grid.criteria.all() if c.pk not in existing]
        )
    return review


def missing_criteria(review: Review) -> list[Criterion]:
    grid = grid_for(review.dossier)
    if grid is None:
        return []
    scored = set(review.scores.filter(points__isnull=False).values_list("criterion_id", flat=True))
    return [c for c in grid.criteria.all() if c.pk not in scored]


def complete_review(*, review: Review, by, now: datetime | None = None) -> Review:
    """Mark a draft review completed once every criterion of the grid is scored; from then on it counts in the
    dossier's score and can no longer be edited. Refused with the list of unscored criteria otherwise."""
    if not by.has_perm("reviews.edit_own_review", review):
        raise PermissionDenied
    missing = missing_criteria(review)
    if missing:
        raise ReviewRefused(
            _("Score every criterion before completing the review. Not scored yet: %(criteria)s.")
            % {"criteria": ", ".join(c.label for c in missing)}
        )
    now = now or timezone.now()
    with transaction.atomic():
        review.completed_at = now
        review.score = _score_of(review)
        _set_review_status(review, ReviewStatus.COMPLETED, by=by, now=now, extra_fields=["completed_at", "score"])
    return review


def _score_of(review: Review):
    # Read again: the scores were just saved by the form, and a prefetched list may predate them.
    return review_score(Score.objects.filter(review=review).select_related("criterion"))


def store_review_scores(*, reviews) -> None:
    """Store the score of each completed review among ``reviews`` in ``Review.score``, as complete_review does: for
    reviews made complete outside it (demo data, imports, benchmarks). Idempotent."""
    completed = list(
        Review.objects.filter(pk__in=[r.pk for r in reviews], status=ReviewStatus.COMPLETED).prefetch_related(
            "scores__criterion"
        )
    )
    for review in completed:
        review.score = review_score(review.scores.all())
    Review.objects.bulk_update(completed, ["score"], batch_size=500)


def _set_review_status(
    review: Review, status: str, *, by, now: datetime, reason: str = "", extra_fields: list | None = None
) -> ReviewTransition:
    """Save the review's new status and log the change (ReviewTransition), in the caller's transaction."""
    previous, review.status = review.status, status
    review.save(update_fields=["status", "updated_at", *(extra_fields or [])])
    return ReviewTransition.objects.create(
        review=review, from_status=previous, to_status=status, by=by, at=now, reason=reason
    )


# --- Internal notes --------------------------------------------------------------------------------------------


def add_note(*, dossier: Dossier, author, text: str) -> InternalNote:
    """An internal note by a staff member who can see the dossier; never shown to the applicants."""
    if not author.has_perm("reviews.write_note", dossier):
        raise PermissionDenied
    note = InternalNote(dossier=dossier, author=author, text=(text or "").strip())
    note.full_clean()
    note.save()
    return note


# --- Decisions -------------------------------------------------------------------------------------------------


def _check_decidable(dossier: Dossier, outcome: str, by) -> None:
    if not by.has_perm("reviews.record_decision", dossier):
        raise PermissionDenied
    if not can_transition(dossier.status, outcome):
        raise ReviewRefused(
            _("Dossier %(reference)s is “%(status)s”: this decision cannot be recorded on it.")
            % {"reference": dossier.reference, "status": DossierStatus(dossier.status).label}
        )


def record_decision(*, dossier: Dossier, outcome: str, justification: str, by, now: datetime | None = None) -> Decision:
    """Record the committee's decision through the state machine, with its justification (Decision row next to
    the DossierTransition), atomically under the dossier's row lock. Sends no e-mail: the decision is mailed at
    the wave's publication time by applications.domain.lifecycle."""
    return record_decisions(dossiers=[dossier], outcome=outcome, justification=justification, by=by, now=now)[0]


def record_decisions(*, dossiers, outcome: str, justification: str, by, now: datetime | None = None) -> list[Decision]:
    """The same decision and justification for several dossiers, all or nothing: if one dossier cannot take it
    (wrong status, not visible), nothing is recorded and the refusal names it."""
    now = now or timezone.now()
    justification = (justification or "").strip()
    if outcome not in DECISION_STATUSES:
        raise ReviewRefused(_("Choose a decision."))
    if not justification:
        raise ReviewRefused(_("Write the justification of the committee's decision."))
    with transaction.atomic():
        locked = list(
            Dossier.objects.select_for_update(of=("self",)).filter(pk__in=[d.pk for d in dossiers]).order_by("pk")
        )
        for dossier in locked:
            _check_decidable(dossier, outcome, by)
        return [_decide(dossier, outcome, justification, by, now) for dossier in locked]


def _decide(dossier: Dossier, outcome: str, justification: str, by, now: datetime) -> Decision:
    try:
        log = transition_dossier(dossier, to=outcome, by=by, reason=justification, now=now)
    except TransitionNotAllowed as refused:
        raise ReviewRefused(str(refused)) from refused
    return Decision.objects.create(
        dossier=dossier,
        wave_id=dossier.wave_id,
        outcome=outcome,
        justification=justification,
        decided_by=by,
        decided_at=now,
        transition=log,
    )


# --- Reopening for corrections ---------------------------------------------------------------------------------


def reopen_for_corrections(*, dossiers, by, message: str) -> int:
    """Send submitted dossiers back to their applicants through applications.domain.submission.reopen_dossier, all or
    nothing (like the bulk decision): if one is refused, none is reopened or e-mailed and ReviewRefused names it.
    Returns how many were reopened."""
    count = 0
    with transaction.atomic():
        for dossier in dossiers:
            try:
                reopen_dossier(dossier, by=by, message=message)
            except SubmissionRefused as refused:
                raise ReviewRefused(f"{dossier.reference}: {refused.message}") from refused
            count += 1
    return count
