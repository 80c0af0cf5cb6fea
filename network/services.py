"""Writes of the network: antennas and their milestones, yearly reports and their validation, reminders.

Every change is logged in ``AntennaLogEntry`` (append-only) in the same transaction; e-mails go through the outbox.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ami_portal.links import absolute_url
from applications.models import Dossier
from applications.queries.dossiers import dossier_mail_recipients
from applications.states import DossierStatus
from notifications.models import EmailKind, OutboxMessage
from notifications.services import queue_email

from .models import Antenna, AntennaLogAction, AntennaLogEntry, AntennaReport
from .rules import is_antenna_official
from .status import AntennaStatus, antenna_status

MILESTONE_FIELDS = (
    "address",
    "convention_signed_on",
    "convention_pdf",
    "opening_planned_on",
    "opened_on",
    "training_paths",
    "suspended_on",
    "closed_on",
    "interruption_reason",
)
# Reminders for the figures of year N are sent from this day of year N+1 (month, day).
REPORT_REMINDER_FROM = (2, 1)


def _value(antenna: Antenna, name: str):
    value = getattr(antenna, name)
    if name == "convention_pdf":
        return value.name or ""
    return value.isoformat() if isinstance(value, date) else value


def log(*, antenna: Antenna, action: str, by=None, changes: dict | None = None, now: datetime | None = None):
    return AntennaLogEntry.objects.create(
        antenna=antenna,
        action=action,
        actor=by if getattr(by, "pk", None) else None,
        changes=changes or {},
        at=now or timezone.now(),
    )


def antenna_for_laureate(*, dossier: Dossier, by=None, now: datetime | None = None) -> Antenna:
    """The laureate's antenna, created (and logged) the first time. Idempotent. Refuses a dossier not laureate."""
    if dossier.status != DossierStatus.LAUREATE:
        raise ValidationError(_("Only a laureate dossier leads to an antenna."))
    with transaction.atomic():
        antenna, created = Antenna.objects.get_or_create(
            dossier=dossier, defaults={"address": dossier.premises_address}
        )
        if created:
            log(antenna=antenna, action=AntennaLogAction.CREATED, by=by, now=now)
    return antenna


def ensure_antennas(*, now: datetime | None = None) -> int:
    """Record an antenna for every decided laureate that has none yet; returns how many. Safe to run twice."""
    missing = Dossier.objects.filter(status=DossierStatus.LAUREATE, decided_at__isnull=False, antenna__isnull=True)
    count = 0
    for dossier in missing:
        antenna_for_laureate(dossier=dossier, now=now)
        count += 1
    return count


def antenna_update_milestones(
    *,
    antenna: Antenna,
    by,
    before: dict | None = None,
    now: datetime | None = None,
    action: str = AntennaLogAction.MILESTONES,
) -> dict:
    """Validate and save ``antenna`` (its fields already set by the caller, e.g. an admin form) and log the
    milestones that changed, old and new values, with who and when. ``before`` holds the values as loaded
    (``milestone_values``); without it they are read from the database. Atomic; returns the changes logged."""
    antenna.full_clean()
    with transaction.atomic():
        if before is None:
            stored = Antenna.objects.filter(pk=antenna.pk).first()
            before = milestone_values(stored) if stored else {}
        antenna.save()
        after = milestone_values(antenna)
        changes = {
            name: [before.get(name), after[name]] for name in MILESTONE_FIELDS if before.get(name) != after[name]
        }
        if changes:
            log(antenna=antenna, action=action, by=by, changes=changes, now=now)
    return changes


def milestone_values(antenna: Antenna) -> dict:
    return {name: _value(antenna, name) for name in MILESTONE_FIELDS}


def report_submit(
    *, antenna: Antenna, year: int, enrolments: int, by, now: datetime, training_paths: str = "", comment: str = ""
) -> AntennaReport:
    """Record (or correct) the figures of ``year``, reported by one of the laureate's officials.

    Refused: someone who is not the dossier's owner or co-editor; a year that has not started, or before the antenna
    opened; a report already validated by staff (it is then frozen). Atomic and logged."""
    if not is_antenna_official(by, antenna):
        raise PermissionDenied(_("Only the officials of the laureate city report its antenna's figures."))
    today = timezone.localdate(now)
    if antenna.opened_on is None or not antenna.opened_on.year <= year <= today.year:
        raise ValidationError(
            {"year": _("Figures can be reported for a year from the antenna's opening to this year.")}
        )
    with transaction.atomic():
        report = AntennaReport.objects.order_by().select_for_update().filter(antenna=antenna, year=year).first()
        if report is not None and report.is_validated:
            raise ValidationError(
                _("The figures of %(year)s have been validated by the Cnam and can no longer be changed.")
                % {"year": year}
            )
        report = report or AntennaReport(antenna=antenna, year=year)
        report.enrolments, report.training_paths, report.comment = enrolments, training_paths, comment
        report.submitted_by, report.submitted_at = by, now
        report.full_clean()
        report.save()
        log(
            antenna=antenna,
            action=AntennaLogAction.REPORT_SUBMITTED,
            by=by,
            now=now,
            changes={"year": year, "enrolments": enrolments},
        )
    return report


def report_validate(*, report: AntennaReport, by, now: datetime) -> bool:
    """Validate a yearly report (staff who manage the antenna); returns False if it already was. Atomic and logged."""
    if not by.has_perm("network.manage_antenna", report.antenna) or not by.has_perm("network.change_antennareport"):
        raise PermissionDenied(_("You cannot validate the figures of this antenna."))
    with transaction.atomic():
        locked = AntennaReport.objects.order_by().select_for_update().get(pk=report.pk)
        if locked.is_validated:
            return False
        locked.validated_by, locked.validated_at = by, now
        locked.save(update_fields=["validated_by", "validated_at"])
        log(
            antenna=report.antenna,
            action=AntennaLogAction.REPORT_VALIDATED,
            by=by,
            now=now,
            changes={"year": locked.year, "enrolments": locked.enrolments},
        )
    report.validated_by, report.validated_at = by, now
    return True


def report_due_year(*, today: date) -> int | None:
    """The year whose figures are due on ``today`` (last year's, from REPORT_REMINDER_FROM on), or None."""
    month, day = REPORT_REMINDER_FROM
    return today.year - 1 if today >= date(today.year, month, day) else None


def send_report_reminders(*, now: datetime | None = None) -> int:
    """Remind the officials of every antenna open during last year (and still open) whose report of last year is
    missing. Once per antenna per year and recipient (outbox key); returns the number of antennas reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    year = report_due_year(today=today)
    if year is None:
        return 0
    antennas = (
        Antenna.objects.filter(opened_on__lte=date(year, 12, 31))
        .exclude(reports__year=year)
        .select_related("dossier__campaign", "dossier__commune", "dossier__epci", "dossier__owner")
        .prefetch_related("dossier__members__user")
    )
    count = 0
    for antenna in antennas:
        if antenna_status(antenna, today) != AntennaStatus.OPEN:
            continue
        with transaction.atomic():
            _queue_report_reminder(antenna, year, now)
        count += 1
    return count


def _queue_report_reminder(antenna: Antenna, year: int, now: datetime) -> None:
    context = {
        "applicant": antenna.dossier.applicant_name,
        "year": year,
        "campaign": antenna.dossier.campaign.name,
        "report_url": absolute_url(reverse("network:reports", kwargs={"pk": antenna.pk})),
    }
    key = f"antenna-report:{antenna.pk}:{year}"
    already = set(OutboxMessage.objects.filter(event_key=key).values_list("recipient", flat=True))
    sent = []
    for person in dossier_mail_recipients(antenna.dossier):
        queue_email(kind=EmailKind.ANTENNA_REPORT_REMINDER, key=key, recipient=person, context=context)
        if person.email not in already:
            sent.append(person.email)
    if sent:
        log(antenna=antenna, action=AntennaLogAction.REMINDER, now=now, changes={"year": year, "to": sent})
