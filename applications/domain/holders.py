"""Who holds a dossier: the holder's mandate verified by Cnam staff, transfers, removals, requests to join.

A territory's dossier is held by the official who opened it. Before it can be submitted, regional staff (reviewers
of its région, coordinators, administrators, superusers: ``rules.can_manage_holders``) verify that this official
holds a mandate for the territory, e.g. from the signed letter of commitment or the council deliberation attached
to the dossier. Every change is written to the append-only ``DossierHolderLog`` and e-mailed through the outbox,
after commit, once per (event, recipient).
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ami_portal.links import absolute_url
from applications.models import (
    Dossier,
    DossierHolderLog,
    DossierInvitation,
    DossierJoinRequest,
    DossierMember,
    HolderAction,
    JoinRequestStatus,
)
from applications.queries.dossiers import dossier_mail_context, dossier_mail_recipients

MANDATE_FIELDS = ["mandate_verified_for", "mandate_verified_by", "mandate_verified_at", "mandate_basis"]


class HolderChangeRefused(Exception):
    """A verification, transfer, removal or answer the rules do not allow; ``message`` is for the person acting."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# --- helpers --------------------------------------------------------------------------------------------------


def _ensure_holder_staff(dossier: Dossier, by) -> None:
    from applications import rules as dossier_rules

    if not dossier_rules.can_manage_holders(by, dossier):
        raise HolderChangeRefused(_("Only Cnam staff in charge of the dossier's région can change its holders."))


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise HolderChangeRefused(message)
    return text


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update(of=("self",)).select_related("campaign", "owner").get(pk=dossier.pk)


def _log(dossier: Dossier, action: str, *, by, now, concerning=None, previous_owner=None, note="") -> DossierHolderLog:
    return DossierHolderLog.objects.create(
        dossier=dossier,
        action=action,
        by=by,
        at=now,
        concerning=concerning,
        previous_owner=previous_owner,
        note=note,
    )


def _clear_mandate(dossier: Dossier) -> None:
    dossier.mandate_verified_for = dossier.mandate_verified_by = dossier.mandate_verified_at = None
    dossier.mandate_basis = ""


def _mail(kind: str, key: str, people, context: dict) -> None:
    from notifications.services import queue_email

    for person in people:
        if person is not None and person.is_active and person.email:
            queue_email(kind=kind, key=key, recipient=person, context=context)


def _refresh(original: Dossier, saved: Dossier) -> None:
    """Keep the caller's instance in step with the row changed under lock."""
    for field in ("owner_id", *(f"{name}_id" for name in MANDATE_FIELDS[:2]), *MANDATE_FIELDS[2:]):
        setattr(original, field, getattr(saved, field))
    for name in ("owner", *MANDATE_FIELDS[:2]):
        original._state.fields_cache.pop(name, None)


# --- mandate verification -------------------------------------------------------------------------------------


def verify_mandate(*, dossier: Dossier, by, basis: str, now=None) -> DossierHolderLog:
    """Record that ``by`` (regional staff) verified the current holder's mandate, on ``basis`` (a short note).

    Atomic under the dossier's row lock; logged (who, when, basis); the holder is e-mailed once
    (MANDATE_VERIFIED) after commit. Refused without a basis, for a dossier without holder, for a mandate
    already verified, or for anyone but the staff in charge of the dossier's région.
    """
    from notifications.models import EmailKind

    now = now or timezone.now()
    basis = _required(basis, _("Say on what basis the mandate was verified (e.g. the signed letter of commitment)."))
    with transaction.atomic():
        locked = _lock(dossier)
        _ensure_holder_staff(locked, by)
        if locked.owner_id is None:
            raise HolderChangeRefused(_("This dossier has no holder whose mandate could be verified."))
        if locked.is_holder_mandate_verified:
            raise HolderChangeRefused(_("The holder's mandate has already been verified."))
        locked.mandate_verified_for, locked.mandate_verified_by = locked.owner, by
        locked.mandate_verified_at, locked.mandate_basis = now, basis[:500]
        locked.save(update_fields=[*MANDATE_FIELDS, "updated_at"])
        entry = _log(locked, HolderAction.MANDATE_VERIFIED, by=by, now=now, concerning=locked.owner, note=basis)
        _mail(
            EmailKind.MANDATE_VERIFIED,
            f"mandate-verified:{entry.pk}",
            [locked.owner],
            {
                **dossier_mail_context(locked),
                "submit_url": absolute_url(reverse("applications:submit", kwargs={"pk": locked.pk})),
            },
        )
    _refresh(dossier, locked)
    return entry


def revoke_mandate(*, dossier: Dossier, by, reason: str, now=None) -> DossierHolderLog:
    """Withdraw the verification of the holder's mandate, with a reason: the dossier cannot be submitted until
    it is verified again. Atomic, logged, the holder is e-mailed (HOLDER_CHANGE) after commit."""
    from notifications.models import EmailKind

    now = now or timezone.now()
    reason = _required(reason, _("Give the reason for revoking the verification."))
    with transaction.atomic():
        locked = _lock(dossier)
        _ensure_holder_staff(locked, by)
        if not locked.is_holder_mandate_verified:
            raise HolderChangeRefused(_("The holder's mandate is not verified: there is nothing to revoke."))
        _clear_mandate(locked)
        locked.save(update_fields=[*MANDATE_FIELDS, "updated_at"])
        entry = _log(locked, HolderAction.MANDATE_REVOKED, by=by, now=now, concerning=locked.owner, note=reason)
        _mail(
            EmailKind.HOLDER_CHANGE,
            f"holder-change:{entry.pk}",
            [locked.owner],
            {**dossier_mail_context(locked), "event": "revoked", "reason": reason},
        )
    _refresh(dossier, locked)
    return entry


# --- transfer and removal -------------------------------------------------------------------------------------


def transfer_dossier(
    *, dossier: Dossier, to, by, reason: str, keep_previous_as_co_editor: bool = False, now=None
) -> DossierHolderLog:
    """Make ``to`` the holder (owner) of ``dossier`` in place of the current one, with a reason.

    Atomic under the row lock. The mandate verification is reset: the new holder's mandate must be verified
    before submission. The previous holder loses access unless kept as co-editor; ``to`` stops being a
    co-editor. Logged; the previous holder, the new holder and the co-editors are e-mailed (HOLDER_CHANGE).
    """

    now = now or timezone.now()
    reason = _required(reason, _("Give the reason for the transfer."))
    if to is None or not to.is_active or to.is_staff:
        raise HolderChangeRefused(_("The new holder must be an active official's account."))
    with transaction.atomic():
        locked = _lock(dossier)
        _ensure_holder_staff(locked, by)
        previous = locked.owner
        if previous is not None and previous.pk == to.pk:
            raise HolderChangeRefused(_("This person already holds the dossier."))
        DossierMember.objects.filter(dossier=locked, user=to).delete()
        if previous is not None and keep_previous_as_co_editor:
            DossierMember.objects.get_or_create(dossier=locked, user=previous, defaults={"added_by": by})
        locked.owner = to
        _clear_mandate(locked)
        locked.save(update_fields=["owner", *MANDATE_FIELDS, "updated_at"])
        entry = _log(
            locked, HolderAction.TRANSFERRED, by=by, now=now, concerning=to, previous_owner=previous, note=reason
        )
        _queue_transfer_mails(locked, entry, previous, keep_previous_as_co_editor)
    _refresh(dossier, locked)
    return entry


def _queue_transfer_mails(dossier: Dossier, entry: DossierHolderLog, previous, kept: bool) -> None:
    from notifications.models import EmailKind

    context = {**dossier_mail_context(dossier), "reason": entry.note}
    key = f"holder-change:{entry.pk}"
    team = [p for p in dossier_mail_recipients(dossier) if p.pk != dossier.owner_id]
    if previous is not None and not kept:
        _mail(EmailKind.HOLDER_CHANGE, key, [previous], {**context, "event": "transferred_away"})
    _mail(EmailKind.HOLDER_CHANGE, key, [dossier.owner], {**context, "event": "transferred_to"})
    new_holder = dossier.owner.get_full_name() or dossier.owner.email
    _mail(EmailKind.HOLDER_CHANGE, key, team, {**context, "event": "transferred_team", "new_holder": new_holder})


def remove_holder(*, dossier: Dossier, person, by, reason: str, now=None) -> DossierHolderLog:
    """Take ``person`` (the owner or a co-editor) off ``dossier``, with a reason. Atomic, logged.

    Removing the owner leaves the dossier without holder (and without verified mandate) until staff transfer
    it; removing a co-editor also cancels the invitations still pending for their address. The person removed
    and the remaining editors are e-mailed (HOLDER_CHANGE).
    """
    from notifications.models import EmailKind

    now = now or timezone.now()
    reason = _required(reason, _("Give the reason for the removal."))
    with transaction.atomic():
        locked = _lock(dossier)
        _ensure_holder_staff(locked, by)
        if locked.owner_id is not None and locked.owner_id == person.pk:
            action = HolderAction.OWNER_REMOVED
            locked.owner = None
            _clear_mandate(locked)
            locked.save(update_fields=["owner", *MANDATE_FIELDS, "updated_at"])
        elif DossierMember.objects.filter(dossier=locked, user=person).delete()[0]:
            action = HolderAction.CO_EDITOR_REMOVED
        else:
            raise HolderChangeRefused(_("This person does not edit the dossier."))
        DossierInvitation.objects.filter(
            dossier=locked, email__iexact=person.email, accepted_at=None, revoked_at=None
        ).update(revoked_at=now)
        entry = _log(locked, action, by=by, now=now, concerning=person, note=reason)
        context = {**dossier_mail_context(locked), "reason": reason, "was_owner": action == HolderAction.OWNER_REMOVED}
        key = f"holder-change:{entry.pk}"
        _mail(EmailKind.HOLDER_CHANGE, key, [person], {**context, "event": "removed"})
        _mail(
            EmailKind.HOLDER_CHANGE,
            key,
            dossier_mail_recipients(locked),
            {
                **context,
                "event": "removed_team",
                "removed": person.get_full_name() or person.email,
            },
        )
    _refresh(dossier, locked)
    return entry


# --- requests to join -----------------------------------------------------------------------------------------


def request_to_join(*, dossier: Dossier, by) -> DossierJoinRequest | None:
    """``by`` asks to co-edit ``dossier``; the holder is e-mailed (with a link to answer) once per request.

    Idempotent: while a request of ``by`` is pending, asking again returns it and sends nothing. Returns None
    if ``by`` already edits the dossier. A dossier without holder keeps the request for Cnam staff to answer.
    The requester never learns who holds the dossier.
    """
    from notifications.models import EmailKind

    if Dossier.objects.editable_by(by).filter(pk=dossier.pk).exists():
        return None
    with transaction.atomic():
        request, created = DossierJoinRequest.objects.get_or_create(
            dossier=dossier, requester=by, status=JoinRequestStatus.PENDING
        )
        if created and dossier.owner is not None:
            _mail(
                EmailKind.INVITATION,
                f"join-request:{request.pk}",
                [dossier.owner],
                {
                    "join_request": True,
                    "dossier_reference": dossier.reference,
                    "applicant_name": dossier.applicant_name,
                    "campaign_name": dossier.campaign.name,
                    "requester_name": by.get_full_name() or by.email,
                    "requester_email": by.email,
                    "team_url": absolute_url(reverse("applications:team", kwargs={"pk": dossier.pk})),
                },
            )
    return request


def can_answer_join_request(user, join_request: DossierJoinRequest) -> bool:
    """The dossier's holder, or the staff in charge of its région."""
    from applications import rules as dossier_rules

    dossier = join_request.dossier
    return dossier_rules.is_dossier_owner(user, dossier) or dossier_rules.can_manage_holders(user, dossier)


def answer_join_request(
    *, join_request: DossierJoinRequest, by, accept: bool, reason: str = "", now=None
) -> DossierJoinRequest:
    """Accept (the requester becomes a co-editor) or refuse (with an optional reason) a pending request.

    By the holder or the staff in charge of the région. Atomic under the request's row lock, so a second answer
    is refused; logged; the requester is e-mailed the answer (JOIN_ANSWER) once, after commit.
    """
    from notifications.models import EmailKind

    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            DossierJoinRequest.objects.select_for_update(of=("self",))
            .select_related("dossier__campaign", "requester")
            .get(pk=join_request.pk)
        )
        if not can_answer_join_request(by, locked):
            raise HolderChangeRefused(_("Only the holder of the dossier or the Cnam staff can answer this request."))
        if locked.status != JoinRequestStatus.PENDING:
            raise HolderChangeRefused(_("This request has already been answered."))
        dossier = locked.dossier
        if accept and dossier.owner_id != locked.requester_id:
            DossierMember.objects.get_or_create(dossier=dossier, user=locked.requester, defaults={"added_by": by})
        locked.status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.REFUSED
        locked.answered_at, locked.answered_by, locked.reason = now, by, (reason or "").strip()
        locked.save(update_fields=["status", "answered_at", "answered_by", "reason"])
        action = HolderAction.JOIN_ACCEPTED if accept else HolderAction.JOIN_REFUSED
        _log(dossier, action, by=by, now=now, concerning=locked.requester, note=locked.reason)
        _mail(
            EmailKind.JOIN_ANSWER,
            f"join-answer:{locked.pk}",
            [locked.requester],
            {
                **dossier_mail_context(dossier),
                "accepted": accept,
                "reason": locked.reason,
            },
        )
    join_request.status, join_request.answered_at = locked.status, locked.answered_at
    return locked


def pending_join_requests(dossier: Dossier):
    return (
        dossier.join_requests.filter(status=JoinRequestStatus.PENDING)
        .select_related("requester")
        .order_by("created_at")
    )


# --- invitation links -----------------------------------------------------------------------------------------


def request_new_invitation(*, invitation: DossierInvitation, now=None) -> bool:
    """The invitee of a used, revoked or expired link asks the holder for a new one: e-mailed once.

    Returns False (nothing sent) if the link is still valid, a new one was already asked for, or the dossier
    has no holder. Atomic under the invitation's row lock.
    """
    from notifications.models import EmailKind

    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            DossierInvitation.objects.select_for_update(of=("self",))
            .select_related("dossier__campaign", "dossier__owner")
            .get(pk=invitation.pk)
        )
        owner = locked.dossier.owner
        if locked.is_valid_at(now) or locked.renewal_requested_at is not None or owner is None:
            return False
        locked.renewal_requested_at = now
        locked.save(update_fields=["renewal_requested_at"])
        _mail(
            EmailKind.INVITATION_RENEWAL,
            f"invitation-renewal:{locked.pk}",
            [owner],
            {
                **dossier_mail_context(locked.dossier),
                "invitee_email": locked.email,
                "team_url": absolute_url(reverse("applications:team", kwargs={"pk": locked.dossier_id})),
            },
        )
    invitation.renewal_requested_at = now
    return True
