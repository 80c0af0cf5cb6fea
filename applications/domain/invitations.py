"""Co-editors of a dossier: invitations by e-mail (outbox, after commit), acceptance, removal and revocation.

Only the dossier's owner invites, removes and revokes; every function is keyword-only past the dossier and states
its guarantees."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ami_portal.links import absolute_url
from applications.models import Dossier, DossierInvitation, DossierMember


def mask_email(address: str) -> str:
    """``jeanne.martin@ville.fr`` → ``j***@ville.fr``: enough to recognise a colleague, not to harvest."""
    local, _at, domain = (address or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _ensure_owner(dossier: Dossier, by) -> None:
    if dossier.owner_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Only the owner of the dossier can manage its co-editors."))


def invite_co_editor(*, dossier: Dossier, email: str, by) -> DossierInvitation:
    """Invite ``email`` to co-edit ``dossier`` and e-mail them the link (outbox, after commit).

    Owner only. Idempotent per address: a pending, unexpired invitation is reused (and its e-mail not sent
    twice); an expired one is replaced by a new link valid ``INVITATION_VALIDITY_DAYS``.
    Raises ValidationError if the address already edits the dossier.
    """
    _ensure_owner(dossier, by)
    email = email.strip().lower()
    if (dossier.owner and dossier.owner.email.lower() == email) or dossier.members.filter(
        user__email__iexact=email
    ).exists():
        raise ValidationError(_("%(email)s already edits this dossier.") % {"email": email})
    now = timezone.now()
    with transaction.atomic():
        invitation = dossier.invitations.filter(email=email, accepted_at=None, revoked_at=None).first()
        if invitation is not None and not invitation.is_valid_at(now):
            # An expired link is not sent again: it is closed and a new one (new token, new validity) replaces it.
            invitation.revoked_at = now
            invitation.save(update_fields=["revoked_at"])
            invitation = None
        if invitation is None:
            invitation = DossierInvitation.objects.create(
                dossier=dossier, email=email, invited_by=by, token=secrets.token_urlsafe(32)
            )
        _queue_invitation_email(invitation)
    return invitation


def _queue_invitation_email(invitation: DossierInvitation) -> None:
    from notifications.models import EmailKind
    from notifications.services import queue_email

    user = get_user_model().objects.filter(email__iexact=invitation.email).first()
    dossier = invitation.dossier
    queue_email(
        kind=EmailKind.INVITATION,
        key=f"dossier-invitation:{invitation.pk}",
        recipient=user or invitation.email,
        context={
            "join_request": False,
            "dossier_reference": dossier.reference,
            "applicant_name": dossier.applicant_name,
            "campaign_name": dossier.campaign.name,
            "inviter_name": str(invitation.invited_by) if invitation.invited_by else "",
            "has_account": user is not None,
            "accept_url": absolute_url(reverse("applications:invitation", kwargs={"token": invitation.token})),
        },
    )


def invitation_refusal(state: str) -> str:
    """Why a link in ``state`` (InvitationState) no longer works, for the person holding it."""
    from applications.models import InvitationState

    return {
        InvitationState.USED: _("This invitation link has already been used: it works only once."),
        InvitationState.REVOKED: _("This invitation has been cancelled by the holder of the dossier."),
        InvitationState.EXPIRED: _("This invitation link has expired."),
    }.get(state, _("This invitation is no longer valid."))


def accept_invitation(*, invitation: DossierInvitation, user, now=None) -> DossierMember:
    """Make ``user`` a co-editor. The invitation must be valid at ``now`` (not used, revoked or expired:
    ``INVITATION_VALIDITY_DAYS``) and addressed to the user's e-mail. Single use: accepting marks it used.

    Atomic under the invitation's row lock (two clicks make one membership). Raises ValidationError otherwise.
    """
    now = now or timezone.now()
    if not invitation.is_valid_at(now):
        raise ValidationError(invitation_refusal(invitation.state_at(now)))
    if invitation.email.lower() != (user.email or "").lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s: log in with that address to accept it.")
            % {"email": mask_email(invitation.email)}
        )
    with transaction.atomic():
        locked = DossierInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_valid_at(now):
            raise ValidationError(invitation_refusal(locked.state_at(now)))
        member = DossierMember.objects.filter(dossier=invitation.dossier, user=user).first()
        if member is None and invitation.dossier.owner_id != user.pk:
            member = DossierMember.objects.create(dossier=invitation.dossier, user=user, added_by=invitation.invited_by)
        invitation.accepted_at, invitation.accepted_by = now, user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return member


def valid_invitations(queryset, *, now=None):
    """The invitations of ``queryset`` still valid at ``now``: neither accepted, revoked nor expired."""
    from django.conf import settings

    now = now or timezone.now()
    sent_after = now - timezone.timedelta(days=settings.INVITATION_VALIDITY_DAYS)
    return queryset.filter(accepted_at=None, revoked_at=None, created_at__gt=sent_after)


def pending_invitations_for(user, *, now=None):
    """Valid invitations waiting for ``user``'s address (accepted from their home page after log-in)."""
    if not user.is_authenticated:
        return DossierInvitation.objects.none()
    return valid_invitations(DossierInvitation.objects.filter(email__iexact=user.email), now=now).select_related(
        "dossier__campaign", "dossier__commune", "dossier__epci", "invited_by"
    )


def remove_co_editor(*, dossier: Dossier, member: DossierMember, by) -> None:
    """Owner only: the co-editor loses access at once (their next request is a 404). Atomic; written to the
    holder log (staff removals with a reason go through ``holders.remove_holder``)."""
    from applications.models import DossierHolderLog, HolderAction

    _ensure_owner(dossier, by)
    if member.dossier_id != dossier.pk:
        raise ValueError("member of another dossier")
    now = timezone.now()
    with transaction.atomic():
        dossier.invitations.filter(email__iexact=member.user.email, accepted_at=None, revoked_at=None).update(
            revoked_at=now
        )
        DossierHolderLog.objects.create(
            dossier=dossier, action=HolderAction.CO_EDITOR_REMOVED, concerning=member.user, by=by, at=now
        )
        member.delete()


def revoke_invitation(*, dossier: Dossier, invitation: DossierInvitation, by) -> None:
    _ensure_owner(dossier, by)
    if invitation.dossier_id != dossier.pk:
        raise ValueError("invitation of another dossier")
    if invitation.is_pending:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
