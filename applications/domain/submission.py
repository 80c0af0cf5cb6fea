"""Submitting a dossier at the deadline, withdrawing it, reopening it; the frozen snapshot and its fingerprint.

The deadline is decided here, on the server, inside the transaction that holds the dossier's row lock: the
wave a submission belongs to is the wave open when the request arrived (``opens_at <= arrival < closes_at``,
see ami_portal/arrival.py: a request queued behind others at a deadline rush still counts at its arrival), else
the next wave of the campaign; there is no flag to flip.
"""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from ami_portal.arrival import bounded_arrival
from ami_portal.links import absolute_url
from applications import rules as dossier_rules
from applications.models import (
    Attachment,
    AttachmentKind,
    Dossier,
    DossierMember,
    DossierPartner,
    DossierTransition,
    Submission,
    Wave,
)
from applications.queries.completeness import MissingItem, dossier_completeness
from applications.queries.dossiers import dossier_mail_context, dossier_mail_recipients
from applications.states import DossierStatus, transition_dossier


class SubmissionRefused(Exception):
    """A submission, withdrawal or reopening the rules do not allow; ``message`` is for the official."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class WaveChanged(SubmissionRefused):
    """The wave shown on the confirmation page is no longer the one a submission would go to."""

    def __init__(self, wave: Wave):
        self.wave = wave
        super().__init__(
            _(
                "The deadline has passed since the page was displayed: your dossier would now be submitted to "
                "wave %(number)s. Check and confirm again."
            )
            % {"number": wave.number}
        )


# --- completeness ----------------------------------------------------------------------------------------


def submission_checklist(dossier: Dossier) -> list[MissingItem]:
    """Everything still missing before ``dossier`` can be submitted: section fields (completeness.dossier_completeness),
    then required attachments."""
    from django.urls import reverse

    from applications.domain.attachments import missing_required_kinds

    items = list(dossier_completeness(dossier))
    attachments_url = reverse("applications:attachments", kwargs={"pk": dossier.pk})
    for kind in missing_required_kinds(dossier):
        # Listed under "Attachments": the label is the document itself, not "Missing attachment: …" again.
        items.append(
            MissingItem(
                section="attachments",
                section_title=_("Attachments"),
                field=kind,
                label=str(AttachmentKind(kind).label),
                url=attachments_url,
            )
        )
    return items


# --- snapshot --------------------------------------------------------------------------------------------

# Related models that are not the dossier's content: history, workflow, people and files (attachments are
# listed separately with their checksums).
NOT_CONTENT = {
    "dossiertransition",
    "dossierchange",
    "submission",
    "attachment",
    "dossiermember",
    "dossierinvitation",
    "dossierjoinrequest",
    "dossierholderlog",
    "dossierwavemove",
    "dossierreminder",
    "dossiermessage",
}


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    return value


def _serialize(instance: models.Model) -> dict:
    data = {key: _plain(value) for key, value in model_to_dict(instance).items()}
    data["id"] = instance.pk
    return data


def _content_relations(dossier: Dossier):
    for relation in dossier._meta.related_objects:
        model = relation.related_model
        name = model._meta.model_name
        if model._meta.app_label != "applications" or name in NOT_CONTENT or "log" in name or "history" in name:
            continue
        if relation.one_to_many or relation.one_to_one:
            yield relation


def _related_content(dossier: Dossier) -> dict:
    content = {}
    for relation in _content_relations(dossier):
        accessor = relation.get_accessor_name()
        if relation.one_to_one:
            related = getattr(dossier, accessor, None) if _has_one_to_one(dossier, accessor) else None
            content[accessor] = _serialize(related) if related is not None else None
        else:
            rows = getattr(dossier, accessor).all()  # the lock's prefetch, when it made one
            content[accessor] = [_serialize(obj) for obj in sorted(rows, key=lambda row: row.pk)]
    return content


def _has_one_to_one(dossier: Dossier, accessor: str) -> bool:
    try:
        getattr(dossier, accessor)
    except models.ObjectDoesNotExist:
        return False
    return True


# Bookkeeping fields of the dossier: they change with the workflow, not with what the city wrote.
DOSSIER_WORKFLOW_FIELDS = {"status", "submitted_at", "decided_at", "wave"}


def build_snapshot(dossier: Dossier, *, wave: Wave) -> dict:
    """The dossier's content, its sections and its attachments' checksums, as plain JSON values."""
    dossier_data = {k: v for k, v in _serialize(dossier).items() if k not in DOSSIER_WORKFLOW_FIELDS}
    snapshot = {
        "dossier": dossier_data,
        "applicant": dossier.applicant_name,
        "campaign": {"id": dossier.campaign_id, "name": dossier.campaign.name},
        "wave": {"id": wave.pk, "number": wave.number, "closes_at": wave.closes_at},
        "sections": _related_content(dossier),
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "name": a.original_name,
                "size": a.size,
                "sha256": a.sha256,
                "content_type": a.content_type,
            }
            for a in sorted(dossier.attachments.all(), key=lambda a: (a.kind, a.pk))
        ],
    }
    # Round-trip through JSON so the stored value is exactly the value that was fingerprinted.
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


def canonical_json(snapshot: dict) -> bytes:
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def fingerprint(snapshot: dict) -> str:
    """SHA-256 of the canonical JSON: anyone holding the snapshot can recompute it."""
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


# --- services ------------------------------------------------------------------------------------------


def _lock(dossier: Dossier, *, with_content: bool = False) -> Dossier:
    """The dossier's row, locked (only that row: not its campaign's, which every submission of the campaign would
    otherwise queue on), read again. ``with_content`` also reads what the checklist, the snapshot and the receipts
    use (applicant, owner, partners, attachments, whether it has co-editors) in the fewest queries."""
    rows = Dossier.objects.select_for_update(of=("self",))
    if not with_content:
        return rows.select_related("campaign").get(pk=dossier.pk)
    return (
        rows.select_related("campaign", "commune", "epci", "owner")
        .annotate(has_co_editors=Exists(DossierMember.objects.filter(dossier=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("partners", queryset=DossierPartner.objects.order_by("pk")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("kind", "pk")),
        )
        .get(pk=dossier.pk)
    )


def submit_dossier(
    dossier: Dossier, *, by, now=None, arrived_at=None, expected_wave_id: int | None = None
) -> Submission:
    """Submit ``dossier`` (by one of its editors) to the wave open when the request arrived, or the next one.

    ``now`` is when the server processes the submission; ``arrived_at`` when the request arrived
    (``request.arrived_at``, see ami_portal/arrival.py). The deadline is judged at the arrival, bounded: an arrival
    after ``now`` or more than REQUEST_ARRIVAL_MAX_AGE seconds before it is not trusted and ``now`` is used; without
    ``arrived_at`` the submission is judged at ``now``. The submission keeps both instants (``submitted_at`` is the
    judged one, ``processed_at`` the processing one).

    Guarantees: atomic under a row lock on the dossier, so concurrent clicks make one submission; refuses a
    dossier whose holder's mandate Cnam staff have not verified (applications/domain/holders.py), an incomplete
    dossier, one that is not a draft, or one with no wave left (SubmissionRefused); raises
    WaveChanged if ``expected_wave_id`` (the wave shown to the official) is not the wave it would go to.
    Freezes a snapshot with its fingerprint, moves the dossier to SUBMITTED (logged) and queues one receipt
    e-mail per editor, sent after commit.
    """
    processed_at = now or timezone.now()
    now = bounded_arrival(arrived_at, now=processed_at)
    with transaction.atomic():
        locked = _lock(dossier, with_content=True)
        refusal = dossier_rules.submission_refusal(by, locked)
        if refusal:
            raise SubmissionRefused(refusal)
        if submission_checklist(locked):
            raise SubmissionRefused(_("The dossier is incomplete: complete the missing items before submitting."))
        wave = locked.campaign.target_wave_at(now)
        if wave is None:
            raise SubmissionRefused(
                _("Submissions are closed: the last wave of this call ended and no other wave is planned.")
            )
        if expected_wave_id is not None and expected_wave_id != wave.pk:
            raise WaveChanged(wave)
        snapshot = build_snapshot(locked, wave=wave)
        locked.wave, locked.submitted_at = wave, now
        transition_dossier(
            locked,
            to=DossierStatus.SUBMITTED,
            by=by,
            now=now,
            reason=_("Submitted to wave %(number)s.") % {"number": wave.number},
        )
        submission = Submission.objects.create(
            dossier=locked,
            wave=wave,
            submitted_at=now,
            processed_at=processed_at,
            submitted_by=by,
            snapshot=snapshot,
            fingerprint=fingerprint(snapshot),
        )
        _queue_receipts(submission)
    _refresh(dossier, locked)
    return submission


def _refresh(original: Dossier, saved: Dossier) -> None:
    """Keep the caller's instance in step with the row we changed under lock."""
    for field in ("status", "wave_id", "submitted_at", "updated_at"):
        setattr(original, field, getattr(saved, field))
    original._state.fields_cache.pop("wave", None)


def _queue_receipts(submission: Submission) -> None:
    from applications.domain.receipts import receipt_context
    from notifications.models import EmailKind
    from notifications.services import queue_email

    context = receipt_context(submission)
    for person in dossier_mail_recipients(submission.dossier):
        queue_email(
            kind=EmailKind.RECEIPT,
            key=f"receipt:{submission.pk}",
            recipient=person,
            context=context,
            attachments=[{"kind": "receipt", "submission_id": submission.pk}],
            fresh_event=True,  # the submission was created in this transaction
        )


def withdraw_submission(dossier: Dossier, *, by, reason: str, now=None) -> Dossier:
    """The owner takes a submitted dossier back to draft before its wave's deadline, with a reason (logged).

    Atomic under a row lock; refused after the deadline, for anyone but the owner, or without a reason. The owner
    and co-editors are told (WITHDRAWN e-mail, after commit).
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise SubmissionRefused(_("Give the reason for withdrawing the dossier."))
    with transaction.atomic():
        locked = _lock(dossier)
        refusal = dossier_rules.withdrawal_refusal(by, locked, now=now)
        if refusal:
            raise SubmissionRefused(refusal)
        locked.submitted_at = None
        log = transition_dossier(locked, to=DossierStatus.DRAFT, by=by, now=now, reason=reason)
        _queue_withdrawn(locked, log)
    _refresh(dossier, locked)
    return dossier


def _queue_withdrawn(dossier: Dossier, log: DossierTransition) -> None:

    from notifications.models import EmailKind
    from notifications.services import queue_email

    context = {**dossier_mail_context(dossier), "reason": log.reason}
    for person in dossier_mail_recipients(dossier):
        queue_email(kind=EmailKind.WITHDRAWN, key=f"withdrawn:{log.pk}", recipient=person, context=context)


def reopen_dossier(dossier: Dossier, *, by, message: str, now=None) -> DossierTransition:
    """Staff send a submitted dossier back to draft for corrections, before its wave's deadline.

    Atomic under a row lock; the message is logged with the transition and e-mailed (REOPENED) to the owner
    and co-editors after commit. Refused for non-staff, without a message, after the deadline, or when the
    dossier is not in the SUBMITTED state.
    """
    now = now or timezone.now()
    message = (message or "").strip()
    if not message:
        raise SubmissionRefused(_("Write a message telling the applicants what to correct."))
    with transaction.atomic():
        locked = _lock(dossier)
        refusal = dossier_rules.reopening_refusal(by, locked, now=now)
        if refusal:
            raise SubmissionRefused(refusal)
        locked.submitted_at = None
        log = transition_dossier(locked, to=DossierStatus.DRAFT, by=by, now=now, reason=message)
        _queue_reopened(locked, log)
    _refresh(dossier, locked)
    return log


def _queue_reopened(dossier: Dossier, log: DossierTransition) -> None:
    from django.urls import reverse

    from notifications.models import EmailKind
    from notifications.services import queue_email

    context = {
        "reference": dossier.reference,
        "applicant": dossier.applicant_name,
        "title": dossier.title,
        "message": log.reason,
        "wave_number": dossier.wave.number if dossier.wave_id else "",
        "last_day": dossier.wave.last_day if dossier.wave_id else None,
        "submit_url": absolute_url(reverse("applications:submit", kwargs={"pk": dossier.pk})),
    }
    for person in dossier_mail_recipients(dossier):
        queue_email(kind=EmailKind.REOPENED, key=f"reopened:{log.pk}", recipient=person, context=context)
