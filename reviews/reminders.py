"""Reminders to reviewers who have unfinished reviews, 3 days and 1 day before their wave's review due date.

Once per (wave, reviewer, threshold): the run that inserts the ``ReviewReminder`` marker (unique) queues the e-mail
in the same transaction; the outbox's event key is a second guard.
"""

from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ami_portal.links import absolute_url
from notifications.models import EmailKind
from notifications.services import queue_email
from reviews.models import ReviewDeadline, ReviewReminder, ReviewStatus
from reviews.queue import QueueState, queue_rows

# Most urgent first: the first threshold reached wins.
REMINDERS = [("1d", timedelta(days=1)), ("3d", timedelta(days=3))]


def reminder_due(deadline: ReviewDeadline, now: datetime) -> str | None:
    """The label ("1d", "3d") of the most urgent reminder whose time has come, or None (none yet, or past due).

    Real elapsed time: aware datetimes compared in UTC, so "1 day before" is 24 hours even across a DST change."""
    due, now = deadline.due_at.astimezone(UTC), now.astimezone(UTC)
    if now >= due:
        return None
    for label, delta in REMINDERS:
        if now >= due - delta:
            return label
    return None


def _candidates(wave):
    """Reviewers with an open assignment or a draft review on a dossier of ``wave``."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(review_assignments__dossier__wave=wave, review_assignments__released_at__isnull=True)
            | Q(reviews__dossier__wave=wave, reviews__status=ReviewStatus.DRAFT)
        )
        .distinct()
    )


def send_review_reminders(*, now: datetime | None = None) -> int:
    """Remind each reviewer with unfinished reviews in a wave (its queue's "to do" and "in progress" rows) of the
    wave's review due date, at 3 days and at 1 day before; returns the number of reminders queued. Never twice
    for the same (wave, reviewer, threshold), even with two runs at once; nothing once every review is done."""
    now = now or timezone.now()
    count = 0
    deadlines = ReviewDeadline.objects.filter(due_at__gt=now, due_at__lte=now + REMINDERS[-1][1]).select_related(
        "wave__campaign"
    )
    for deadline in deadlines:
        label = reminder_due(deadline, now)
        already = ReviewReminder.objects.filter(wave=deadline.wave, threshold=label).values("reviewer_id")
        for reviewer in _candidates(deadline.wave).exclude(pk__in=already):
            count += _remind_once(deadline, reviewer, label, now)
    return count


def _remind_once(deadline: ReviewDeadline, reviewer, label: str, now: datetime) -> int:
    unfinished = [
        r
        for r in queue_rows(user=reviewer, now=now)
        if r.dossier.wave_id == deadline.wave_id and r.state != QueueState.DONE
    ]
    if not unfinished:
        return 0
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(wave=deadline.wave, reviewer=reviewer, threshold=label, sent_at=now)
        except IntegrityError:
            return 0  # another run reminded this reviewer at this threshold
        wave = deadline.wave
        queue_email(
            kind=EmailKind.REVIEW_REMINDER,
            key=f"review-reminder:{wave.pk}:{reviewer.pk}:{label}",
            recipient=reviewer,
            context={
                "campaign": wave.campaign.name,
                "wave_number": wave.number,
                "due_at": deadline.due_at,
                "threshold": label,
                "unfinished": len(unfinished),
                "dossiers": [
                    {"reference": r.dossier.reference, "applicant": r.dossier.applicant_name} for r in unfinished
                ],
                "queue_url": absolute_url(reverse("admin:applications_dossier_my_reviews")),
            },
        )
    return 1
