"""Wave after-effects and deadline reminders, driven by the waves' dates (run by periodic Celery tasks).

Nothing here trusts a job to run on time: each sweep looks at the clock and at markers, so running it late does
the overdue work and running it twice does nothing more. Wave effects hold the wave row under
``select_for_update(skip_locked=True)`` and set the marker in the same transaction as the effects; e-mails are
outbox rows with unique keys, sent after commit.
"""

import logging
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from accounts.roles import Role
from ami_portal.links import absolute_url
from applications.models import Dossier, DossierReminder, DossierWaveMove, Wave
from applications.queries.dossiers import dossier_mail_context, dossier_mail_recipients
from applications.signals import wave_closed
from applications.states import DECISION_STATUSES, DossierStatus, transition_dossier
from notifications.models import EmailKind, OutboxMessage
from notifications.services import queue_email

logger = logging.getLogger(__name__)

# Most urgent first: a draft gets the reminder of the smallest threshold already passed, once.
REMINDERS = [("24h", timedelta(hours=24)), ("3d", timedelta(days=3)), ("14d", timedelta(days=14))]


def _wave_closed_reason() -> str:
    # Stored in the log, which staff read: written in the portal's language, not the worker's.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Wave closed")


def _log_reason(text: str, **values) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text) % values


def move_to_wave(dossier_ids: list[int], *, from_wave: Wave, to_wave: Wave | None, now: datetime, reason: str) -> None:
    """Move the dossiers to ``to_wave`` (None: no wave left) and log each move (DossierWaveMove), in the caller's
    transaction: a wave change is never silent."""
    Dossier.objects.filter(pk__in=dossier_ids).update(wave=to_wave)
    DossierWaveMove.objects.bulk_create(
        [
            DossierWaveMove(dossier_id=pk, from_wave=from_wave, to_wave=to_wave, at=now, reason=reason)
            for pk in dossier_ids
        ]
    )


def _dossiers():
    return Dossier.objects.select_related("campaign", "owner", "commune", "epci", "region").prefetch_related(
        "members__user"
    )


# --- Closing -------------------------------------------------------------------------------------------------


def waves_due_for_closing(*, now: datetime):
    return Wave.objects.filter(closes_at__lte=now, closed_effects_done_at__isnull=True)


def close_wave(*, wave_id: int, now: datetime | None = None) -> bool:
    """Run the closing effects of a wave whose ``closes_at`` has passed, once; True if this call ran them.

    In one transaction, under the wave's row lock (a concurrent run skips the wave): drafts still aiming at the
    wave move to the campaign's next wave and their editors are told (WAVE_CLOSED_DRAFT); submitted dossiers go
    UNDER_REVIEW; the marker ``closed_effects_done_at`` is set; ``wave_closed`` is sent (reviewer assignment);
    the coordinators get a summary (WAVE_SUMMARY).
    """
    now = now or timezone.now()
    with transaction.atomic():
        wave = (
            Wave.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=wave_id, closes_at__lte=now, closed_effects_done_at__isnull=True)
            .select_related("campaign")
            .first()
        )
        if wave is None:
            return False
        moved = _move_drafts_on(wave, now)
        reviewed = _start_review(wave, now)
        wave.closed_effects_done_at = now
        wave.save(update_fields=["closed_effects_done_at"])
        wave_closed.send(sender=Wave, wave=wave)
        _queue_summary(wave, reviewed, moved)
    logger.info("Wave %s closed: %s dossiers under review, %s drafts moved on.", wave.pk, len(reviewed), moved)
    return True


def _move_drafts_on(wave: Wave, now: datetime) -> int:
    next_wave = wave.campaign.target_wave_at(now)
    drafts = list(_dossiers().select_for_update(of=("self",)).filter(wave=wave, status=DossierStatus.DRAFT))
    reason = _log_reason(gettext_noop("Not submitted when wave %(number)s closed."), number=wave.number)
    move_to_wave([d.pk for d in drafts], from_wave=wave, to_wave=next_wave, now=now, reason=reason)
    for dossier in drafts:
        context = {
            **dossier_mail_context(dossier, wave=wave),
            "next_wave_number": next_wave.number if next_wave else None,
            "next_wave_opens_at": next_wave.opens_at if next_wave else None,
            "next_wave_closes_at": next_wave.closes_at if next_wave else None,
            "next_wave_last_day": next_wave.last_day if next_wave else None,
        }
        for person in dossier_mail_recipients(dossier):
            queue_email(
                kind=EmailKind.WAVE_CLOSED_DRAFT,
                key=f"wave-closed-draft:{dossier.pk}:{wave.pk}",
                recipient=person,
                context=context,
            )
    return len(drafts)


def _start_review(wave: Wave, now: datetime) -> list[Dossier]:
    submitted = list(
        _dossiers()
        .select_for_update(of=("self",))
        .with_programmes()
        .filter(wave=wave, status=DossierStatus.SUBMITTED)
        .order_by("pk")
    )
    for dossier in submitted:
        transition_dossier(dossier, to=DossierStatus.UNDER_REVIEW, by=None, reason=_wave_closed_reason(), now=now)
    return submitted


def wave_summary(wave: Wave, dossiers: list[Dossier], drafts_moved: int) -> dict:
    """Counts of the dossiers submitted to ``wave`` per région and per programme, for the coordinators.

    ``dossiers`` come from ``Dossier.objects.with_programmes()`` (the one rule of an applicant's programmes)."""
    from cities.models import Programme

    programmes = {d.pk: set(d.programme_codes) for d in dossiers}
    regions = Counter(d.region.name if d.region_id else "—" for d in dossiers)
    per_programme = Counter(code for codes in programmes.values() for code in codes)
    rows = []
    for region in sorted(regions):
        in_region = [d for d in dossiers if (d.region.name if d.region_id else "—") == region]
        rows.append(
            {
                "region": region,
                "total": len(in_region),
                **{code: sum(1 for d in in_region if code in programmes[d.pk]) for code in Programme.values},
            }
        )
    return {
        "campaign": wave.campaign.name,
        "wave_number": wave.number,
        "closes_at": wave.closes_at,
        "total": len(dossiers),
        "rows": rows,
        "programmes": [
            {"code": code, "label": str(label), "count": per_programme.get(code, 0)}
            for code, label in Programme.choices
        ],
        "without_programme": sum(1 for codes in programmes.values() if not codes),
        "drafts_moved": drafts_moved,
        "admin_url": _dossiers_admin_url(wave),
    }


def _dossiers_admin_url(wave: Wave) -> str:
    return absolute_url(reverse("admin:applications_dossier_changelist")) + f"?wave__id__exact={wave.pk}"


def _queue_summary(wave: Wave, dossiers: list[Dossier], drafts_moved: int) -> None:
    coordinators = get_user_model().objects.filter(groups__name=Role.COORDINATOR, is_active=True).distinct()
    context = wave_summary(wave, dossiers, drafts_moved)
    for person in coordinators:
        queue_email(kind=EmailKind.WAVE_SUMMARY, key=f"wave-summary:{wave.pk}", recipient=person, context=context)


# --- Publication and decisions -------------------------------------------------------------------------------


def waves_due_for_publication(*, now: datetime):
    return Wave.objects.filter(publishes_at__lte=now, published_effects_done_at__isnull=True)


def publish_wave(*, wave_id: int, now: datetime | None = None) -> bool:
    """Once ``publishes_at`` has passed, queue the decision of every decided dossier of the wave and set the
    marker, once, under the wave's row lock; True if this call did it. Never before ``publishes_at``."""
    now = now or timezone.now()
    with transaction.atomic():
        wave = (
            Wave.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=wave_id, publishes_at__lte=now, published_effects_done_at__isnull=True)
            .first()
        )
        if wave is None:
            return False
        # Only decisions the confidentiality rule makes public now (applications.rules.decision_published_q).
        for dossier in _dossiers().filter(wave=wave, status__in=DECISION_STATUSES).decision_published_at(now):
            queue_decision(dossier)
        _carry_postponed_over(wave, now=now)
        wave.published_effects_done_at = now
        wave.save(update_fields=["published_effects_done_at"])
    return True


def _carry_postponed_over(wave: Wave, *, now: datetime, dossier_ids=None) -> None:
    """Postponed dossiers are examined again in the next wave: once their decision is published they move there,
    so that their next decision stays confidential until that wave's own publication."""
    next_wave = wave.campaign.target_wave_at(wave.closes_at)
    if next_wave is None:
        return
    postponed = Dossier.objects.filter(wave=wave, status=DossierStatus.POSTPONED)
    if dossier_ids is not None:
        postponed = postponed.filter(pk__in=dossier_ids)
    reason = _log_reason(
        gettext_noop("Postponed at wave %(number)s: examined again in the next wave."), number=wave.number
    )
    move_to_wave(
        list(postponed.values_list("pk", flat=True)), from_wave=wave, to_wave=next_wave, now=now, reason=reason
    )


def decision_key(dossier: Dossier) -> str:
    return f"decision:{dossier.pk}:{dossier.wave_id}:{dossier.status}"


def queue_decision(dossier: Dossier) -> None:
    """E-mail the decision (laureate / not retained / postponed) to the owner and co-editors, once per status."""
    wave = dossier.wave
    next_wave = dossier.campaign.target_wave_at(wave.closes_at) if dossier.status == DossierStatus.POSTPONED else None
    context = {
        **dossier_mail_context(dossier, wave=wave),
        "status": dossier.status,
        "status_label": str(DossierStatus(dossier.status).label),
        "is_laureate": dossier.status == DossierStatus.LAUREATE,
        "is_not_retained": dossier.status == DossierStatus.NOT_RETAINED,
        "is_postponed": dossier.status == DossierStatus.POSTPONED,
        "next_wave_number": next_wave.number if next_wave else None,
    }
    for person in dossier_mail_recipients(dossier):
        queue_email(kind=EmailKind.DECISION, key=decision_key(dossier), recipient=person, context=context)


def _decision_key_of_outer_dossier():
    """``decision_key`` of the outer dossier, in SQL (the same format, for the same event)."""
    return Concat(
        Value("decision:"),
        Cast(OuterRef("pk"), CharField()),
        Value(":"),
        Cast(OuterRef("wave_id"), CharField()),
        Value(":"),
        OuterRef("status"),
        output_field=CharField(),
    )


def undelivered_decisions(*, now: datetime):
    """Decided dossiers of published waves whose decision e-mail was never queued (decided after publication)."""
    queued = OutboxMessage.objects.filter(kind=EmailKind.DECISION, event_key=_decision_key_of_outer_dossier())
    return (
        _dossiers()
        .select_related("wave")
        .filter(
            status__in=DECISION_STATUSES, wave__publishes_at__lte=now, wave__published_effects_done_at__isnull=False
        )
        .filter(~Exists(queued))
        .decision_published_at(now)
    )


def notify_late_decisions(*, now: datetime | None = None) -> int:
    """Queue the decisions recorded after their wave's publication; returns how many dossiers were notified."""
    now = now or timezone.now()
    count = 0
    for dossier in undelivered_decisions(now=now):
        with transaction.atomic():
            queue_decision(dossier)
            _carry_postponed_over(dossier.wave, now=now, dossier_ids=[dossier.pk])
        count += 1
    return count


def run_due_wave_events(*, now: datetime | None = None) -> dict:
    """The every-minute sweep: closing effects, publication effects and late decisions that are due."""
    now = now or timezone.now()
    closed = [
        pk for pk in waves_due_for_closing(now=now).values_list("pk", flat=True) if close_wave(wave_id=pk, now=now)
    ]
    published = [
        pk
        for pk in waves_due_for_publication(now=now).values_list("pk", flat=True)
        if publish_wave(wave_id=pk, now=now)
    ]
    return {"closed": closed, "published": published, "late_decisions": notify_late_decisions(now=now)}


# --- Reminders -----------------------------------------------------------------------------------------------


def reminder_due(wave: Wave, now: datetime) -> str | None:
    """The label (24h, 3d, 14d) of the most urgent reminder whose time has come for ``wave``, or None.

    Real elapsed time: aware datetimes compared in UTC, so "24 hours before" stays 24 hours across a DST change.
    """
    if now >= wave.closes_at:
        return None
    for label, delta in REMINDERS:
        if now >= wave.closes_at - delta:
            return label
    return None


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind the editors of every unsubmitted draft of the deadline of the wave it aims for; returns the count of
    dossiers this run reminded. Never for a submitted dossier.

    Once per (dossier, wave, threshold), even with two runs at once (two beats): the run that inserts the
    ``DossierReminder`` marker (unique) queues the e-mails in the same transaction; the other run's insert waits for
    that commit, conflicts, and the dossier is skipped. The outbox key stays a second guard.
    """
    now = now or timezone.now()
    count = 0
    waves = Wave.objects.filter(closes_at__gt=now, closes_at__lte=now + REMINDERS[-1][1]).select_related("campaign")
    for wave in waves:
        label = reminder_due(wave, now)
        reminded = DossierReminder.objects.filter(dossier=OuterRef("pk"), wave=wave, threshold=label)
        for dossier in _dossiers().filter(wave=wave, status=DossierStatus.DRAFT).exclude(Exists(reminded)):
            count += _remind_once(dossier, wave, label, now)
    return count


def _remind_once(dossier: Dossier, wave: Wave, label: str, now: datetime) -> int:
    with transaction.atomic():
        try:
            with transaction.atomic():
                DossierReminder.objects.create(dossier=dossier, wave=wave, threshold=label, queued_at=now)
        except IntegrityError:
            return 0  # another run reminded this dossier at this threshold
        _queue_reminder(dossier, wave, label)
    return 1


def _queue_reminder(dossier: Dossier, wave: Wave, label: str) -> None:
    context = {
        **dossier_mail_context(dossier, wave=wave),
        "threshold": label,
        "closes_at": wave.closes_at,
        "last_day": wave.last_day,
    }
    for person in dossier_mail_recipients(dossier):
        queue_email(
            kind=EmailKind.REMINDER, key=f"reminder:{dossier.pk}:{wave.pk}:{label}", recipient=person, context=context
        )
