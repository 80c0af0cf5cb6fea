"""A reviewer's queue ("My reviews"): the dossiers they are asked to review, to do / in progress / done, per wave.

One rule for what is in the queue and in which order, used by the queue page, the admin index's counts, the
"complete and go to the next" button and the reminders. A fixed number of queries whatever the queue's size.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Dossier
from reviews.models import Assignment, Review, ReviewStatus
from reviews.rules import REVIEWABLE_STATUSES


class QueueState:
    TO_DO = "to_do"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    LABELS = {TO_DO: _("To do"), IN_PROGRESS: _("In progress"), DONE: _("Done")}


@dataclass
class QueueRow:
    dossier: Dossier
    state: str
    review_id: int | None

    @property
    def state_label(self) -> str:
        return QueueState.LABELS[self.state]


@dataclass
class WaveQueue:
    wave: object  # applications.Wave or None
    due_at: datetime | None
    rows: list[QueueRow] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)


def _state(review_status: str | None) -> str:
    if review_status == ReviewStatus.COMPLETED:
        return QueueState.DONE
    return QueueState.IN_PROGRESS if review_status == ReviewStatus.DRAFT else QueueState.TO_DO


def _queue_dossiers(user, now: datetime):
    """The visible dossiers ``user`` holds an open assignment on or has a (non-withdrawn) review of, with the id
    and status of their review: one query, wave, campaign and due date joined."""
    own_review = Review.objects.filter(dossier=OuterRef("pk"), reviewer=user).exclude(status=ReviewStatus.WITHDRAWN)
    assigned = Assignment.objects.filter(dossier=OuterRef("pk"), reviewer=user, released_at__isnull=True)
    from reviews.selectors import with_disagreement

    dossiers = with_disagreement(Dossier.objects.visible_to(user), user=user)  # the flag under the visibility rule
    return (
        dossiers.with_shown_status(user=user, now=now)
        .annotate(
            own_review_id=Subquery(own_review.values("pk")[:1]),
            own_review_status=Subquery(own_review.values("status")[:1]),
            assigned=Exists(assigned),
        )
        .filter(Q(assigned=True) | Q(own_review_id__isnull=False))
        .select_related("wave__campaign", "wave__review_deadline", "commune", "epci", "region")
    )


def _sort_key(row: QueueRow):
    wave = row.dossier.wave
    deadline = getattr(wave, "review_deadline", None) if wave else None
    due = deadline.due_at if deadline else None
    # Earliest due date first (none last), then the wave, then the reference.
    return (due is None, due or datetime.max.replace(tzinfo=UTC), row.dossier.wave_id or 0, row.dossier.reference)


def queue_rows(*, user, now: datetime | None = None) -> list[QueueRow]:
    """The reviewer's queue in working order: earliest review due date first, then by wave and reference.

    A dossier whose review is not started is "to do" only while the user may still score it (under review as
    they see it); one decided and published drops out of "to do". Drafts and completed reviews always show."""
    if not (user.is_authenticated and user.is_staff):
        return []
    rows = []
    for dossier in _queue_dossiers(user, now or timezone.now()):
        state = _state(dossier.own_review_status)
        if state == QueueState.TO_DO and dossier.shown_status not in REVIEWABLE_STATUSES:
            continue
        rows.append(QueueRow(dossier=dossier, state=state, review_id=dossier.own_review_id))
    return sorted(rows, key=_sort_key)


def queue_by_wave(*, user, now: datetime | None = None) -> list[WaveQueue]:
    """The queue grouped per wave (in the queue's order), each with its review due date."""
    waves: dict = {}
    for row in queue_rows(user=user, now=now):
        wave = row.dossier.wave
        if row.dossier.wave_id not in waves:
            deadline = getattr(wave, "review_deadline", None) if wave else None
            waves[row.dossier.wave_id] = WaveQueue(wave=wave, due_at=deadline.due_at if deadline else None)
        waves[row.dossier.wave_id].rows.append(row)
    return list(waves.values())


def next_row(rows: list[QueueRow], *, after_dossier_id: int | None = None) -> QueueRow | None:
    """The next dossier to work on: the first one in progress or to do, in the queue's order, after
    ``after_dossier_id`` (wrapping round to the start), never that dossier itself."""
    open_rows = [r for r in rows if r.state != QueueState.DONE]
    if after_dossier_id is not None:
        ids = [r.dossier.pk for r in rows]
        if after_dossier_id in ids:
            position = ids.index(after_dossier_id)
            later = [r for r in rows[position + 1 :] if r.state != QueueState.DONE]
            earlier = [r for r in rows[:position] if r.state != QueueState.DONE]
            open_rows = later + earlier
        open_rows = [r for r in open_rows if r.dossier.pk != after_dossier_id]
    return open_rows[0] if open_rows else None


def next_in_queue(*, user, after_dossier_id: int | None = None, now: datetime | None = None) -> QueueRow | None:
    """The next dossier of ``user``'s queue to review (see next_row)."""
    return next_row(queue_rows(user=user, now=now), after_dossier_id=after_dossier_id)


def queue_counts(*, user, now: datetime | None = None) -> dict:
    """To do / in progress / done counts over the whole queue, and the next dossier (admin index block)."""
    rows = queue_rows(user=user, now=now)
    counts = {state: sum(1 for r in rows if r.state == state) for state in QueueState.LABELS}
    return {"counts": counts, "total": len(rows), "next": next_row(rows)}
