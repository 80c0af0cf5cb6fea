"""Dossier services: creation, section saving with attribution, completeness, co-editors and invitations.

Every function is keyword-only past the dossier and states its guarantees. Status changes are not made here
(see applications/states.py); content is editable only while the dossier is a draft.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import coediting
from .models import Campaign, Dossier, DossierChange, DossierInvitation, DossierMember
from .sections import PARTNERS, SECTIONS, SectionSpec, get_section

# --- completeness ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingItem:
    """Something to fill in before submission: its section, a label for the official, and where to go."""

    section: str
    section_title: str
    field: str
    label: str
    url: str


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _partner_count(dossier: Dossier) -> int:
    # Uses the list page's annotation or prefetch when present, so completeness costs no query per row.
    if hasattr(dossier, "partner_count"):
        return dossier.partner_count
    cache = getattr(dossier, "_prefetched_objects_cache", {})
    if PARTNERS in cache:
        return len(cache[PARTNERS])
    return dossier.partners.count()


def section_url(dossier: Dossier, key: str) -> str:
    return reverse("applications:section", kwargs={"pk": dossier.pk, "key": key})


def section_missing(dossier: Dossier, spec: SectionSpec) -> list[MissingItem]:
    """The required items of one section that are still empty."""
    url = section_url(dossier, spec.key)
    if spec.formset_class is not None:
        if _partner_count(dossier) >= spec.min_rows:
            return []
        label = gettext_lazy("At least one local partner")
        return [MissingItem(spec.key, str(spec.title), PARTNERS, str(label), f"{url}#partners")]
    return [
        MissingItem(spec.key, str(spec.title), name, str(_field_label(name)), f"{url}#id_{name}")
        for name in spec.required
        if _is_empty(getattr(dossier, name))
    ]


def _field_label(name: str) -> str:
    label = str(Dossier._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def dossier_completeness(dossier: Dossier) -> list[MissingItem]:
    """Every required item still missing, section by section (empty list: the sections are complete).

    Pure read, no side effect; costs at most one query (partners) unless the caller annotated
    ``partner_count`` or prefetched ``partners``. Attachments are checked by the submission checklist.
    """
    return [item for spec in SECTIONS for item in section_missing(dossier, spec)]


@dataclass(frozen=True)
class SectionProgress:
    spec: SectionSpec
    missing: list
    last_change: DossierChange | None = None

    @property
    def is_complete(self) -> bool:
        return not self.missing


def dossier_progress(dossier: Dossier, *, with_changes: bool = False) -> list[SectionProgress]:
    """Each section with its missing items and (optionally) its last attributed change."""
    changes = last_changes(dossier) if with_changes else {}
    return [SectionProgress(spec, section_missing(dossier, spec), changes.get(spec.key)) for spec in SECTIONS]


def progress_percent(dossier: Dossier) -> int:
    done = sum(1 for spec in SECTIONS if not section_missing(dossier, spec))
    return round(100 * done / len(SECTIONS))


def last_changes(dossier: Dossier) -> dict[str, DossierChange]:
    """The latest change of each section, with its author (one query)."""
    latest = {}
    for change in dossier.changes.select_related("by").order_by("-at", "-pk"):
        latest.setdefault(change.section, change)
    return latest


# --- creation ------------------------------------------------------------------------------------------------


def mask_email(address: str) -> str:
    """``jeanne.martin@ville.fr`` → ``j***@ville.fr``: enough to recognise a colleague, not to harvest."""
    local, _at, domain = (address or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


class DossierAlreadyExists(Exception):
    """The territory already holds a dossier in this campaign; ``dossier`` is that dossier.

    Whoever meets this is told the territory's dossier is held, never by whom: no name, e-mail or address of
    the holder leaves this exception (they can ask to join: ``holders.request_to_join``)."""

    def __init__(self, dossier: Dossier):
        self.dossier = dossier
        super().__init__(f"{dossier.reference} already exists")


def next_dossier_reference(*, campaign: Campaign, now=None) -> str:
    """The next free number of ``campaign``, e.g. ``AMI2-2026-00042``. Call inside a transaction: locks the campaign.

    Prefixes are unique across campaigns (Campaign's constraint), so two campaigns never hand out the same number;
    a number already taken anyway (a prefix given up by one campaign and reused by another) is skipped.
    """
    now = now or timezone.now()
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    year = timezone.localtime(now).year
    prefix = locked.reference_prefix or locked.derived_reference_prefix()
    while True:
        locked.last_dossier_number += 1
        reference = f"{prefix}-{year}-{locked.last_dossier_number:05d}"
        if not Dossier.objects.filter(reference=reference).exists():
            break
    locked.save(update_fields=["last_dossier_number"])
    return reference


def existing_dossier(*, campaign: Campaign, commune=None, epci=None) -> Dossier | None:
    qs = Dossier.objects.select_related("owner").filter(campaign=campaign)
    return qs.filter(commune=commune).first() if commune is not None else qs.filter(epci=epci).first()


def create_dossier(*, campaign: Campaign, by, commune=None, epci=None, now=None) -> Dossier:
    """Create the draft dossier of a territory (commune xor EPCI) for ``campaign``, owned by ``by``.

    Atomic. The database constraint guarantees one dossier per territory per campaign, even under a race:
    a second attempt raises DossierAlreadyExists carrying the holder. The dossier aims for the wave open
    now, else the next one.
    """
    if (commune is None) == (epci is None):
        raise ValueError("exactly one of commune and epci")
    now = now or timezone.now()
    held = existing_dossier(campaign=campaign, commune=commune, epci=epci)
    if held is not None:
        raise DossierAlreadyExists(held)
    try:
        with transaction.atomic():
            dossier = Dossier(
                campaign=campaign,
                commune=commune,
                epci=epci,
                owner=by,
                wave=campaign.target_wave_at(now),
                reference=next_dossier_reference(campaign=campaign, now=now),
            )
            dossier.save()
    except IntegrityError:
        held = existing_dossier(campaign=campaign, commune=commune, epci=epci)
        if held is None:
            raise
        raise DossierAlreadyExists(held) from None
    return dossier


# --- editing ------------------------------------------------------------------------------------------------


def ensure_editable(dossier: Dossier, *, by) -> None:
    """Raise PermissionDenied unless ``by`` edits ``dossier`` (owner or co-editor) and it is still a draft."""
    from . import rules as dossier_rules

    if not dossier_rules.can_edit_dossier(by, dossier):
        raise PermissionDenied(_("This dossier can no longer be edited."))


def _record_change(*, dossier: Dossier, section: str, fields: list[str], by, now) -> DossierChange | None:
    if not fields:
        return None
    return DossierChange.objects.create(dossier=dossier, section=section, fields=fields, by=by, at=now)


@dataclass(frozen=True)
class SectionSave:
    """What a section save did: the fields written, and the fields left alone because of a conflict."""

    changed: list[str]
    conflicts: list[coediting.Conflict] = field(default_factory=list)


def save_section(
    *,
    dossier: Dossier,
    section: str,
    data: dict,
    by,
    now=None,
    base: coediting.EditBase | None = None,
    keep_theirs: frozenset[str] = frozenset(),
) -> SectionSave:
    """Store the cleaned values of one section's fields and attribute the change.

    Atomic, under the dossier's row lock. Writes only the fields this person changed since the form was loaded
    (``base``; without one, every posted field that differs from the stored value), so co-editors never reset
    each other's fields. A field someone else changed meanwhile is not written but returned as a conflict
    (see ``coediting``), unless it is in ``keep_theirs``. Validates the model (types, amounts) before saving.
    """
    spec = get_section(section)
    if spec is None or spec.form_class is None:
        raise ValueError(f"not a field section: {section}")
    ensure_editable(dossier, by=by)
    now = now or timezone.now()
    touched = [name for name in coediting.touched_fields(data, base, spec.fields) if name not in keep_theirs]
    with transaction.atomic():
        # Compare with the stored values, not the instance: a bound ModelForm has already copied its input there.
        stored = Dossier.objects.select_for_update().filter(pk=dossier.pk).values(*spec.fields).get()
        conflicts = coediting.find_conflicts(
            dossier=dossier, section=section, data=data, stored=stored, base=base, touched=touched, by=by
        )
        conflicted = {conflict.field for conflict in conflicts}
        changed = [name for name in touched if name not in conflicted and stored[name] != data[name]]
        for name in spec.fields:  # the instance shows what is stored now, plus this person's writes
            setattr(dossier, name, data[name] if name in changed else stored[name])
        if changed:
            dossier.full_clean(validate_unique=False, validate_constraints=False)
            dossier.save(update_fields=[*changed, "updated_at"])
            _record_change(dossier=dossier, section=section, fields=changed, by=by, now=now)
    return SectionSave(changed=changed, conflicts=conflicts)


class StaleAutosave(Exception):
    """An autosave whose field changed since the page loaded it: refused, so it never replaces a later save."""

    def __init__(self, change: DossierChange | None):
        self.change = change
        super().__init__("stale autosave")


def autosave_field(
    *, dossier: Dossier, section: str, field: str, raw_value: str, by, base_fingerprint: str | None = None, now=None
) -> list[str]:
    """Validate one long text field of a section on its own, then save it like ``save_section``.

    Raises ValidationError (nothing saved) if the value is not acceptable, ValueError if the field is not
    autosaved in that section, StaleAutosave (nothing saved) if the stored value moved away from
    ``base_fingerprint`` (the value the page was loaded with or last autosaved).
    """
    spec = get_section(section)
    if spec is None or spec.form_class is None or not spec.form_class.is_autosaved(field):
        raise ValueError(f"{field} is not autosaved in {section}")
    form_field = spec.form_class().fields[field]
    value = form_field.clean(raw_value)
    for validator in Dossier._meta.get_field(field).validators:
        validator(value)
    with transaction.atomic():
        stored = Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list(field, flat=True).get()
        if coediting.autosave_is_stale(stored_value=stored, value=value, base_fingerprint=base_fingerprint):
            raise StaleAutosave(coediting.last_change_of(dossier=dossier, section=section, field=field))
        return save_section(dossier=dossier, section=section, data={field: value}, by=by, now=now).changed


def save_partners(*, dossier: Dossier, formset, by, now=None) -> list[str]:
    """Save the partners' formset (validated by the caller) and attribute the change. Atomic."""
    ensure_editable(dossier, by=by)
    now = now or timezone.now()
    with transaction.atomic():
        formset.instance = dossier
        saved = formset.save()
        touched = [partner.name for partner in saved]
        touched += [str(obj) for obj in formset.deleted_objects]
        if touched:
            _record_change(dossier=dossier, section=PARTNERS, fields=touched, by=by, now=now)
            dossier.save(update_fields=["updated_at"])
    return touched


# --- co-editors ----------------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"


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
            "accept_url": _absolute(reverse("applications:invitation", kwargs={"token": invitation.token})),
        },
    )


def invitation_refusal(state: str) -> str:
    """Why a link in ``state`` (InvitationState) no longer works, for the person holding it."""
    from .models import InvitationState

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
    from .models import DossierHolderLog, HolderAction

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
