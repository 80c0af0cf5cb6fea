"""Dossier services: creation and section saving with attribution (who changed which field, when).

Every function is keyword-only past the dossier and states its guarantees. Status changes are not made here
(see applications/states.py); content is editable only while the dossier is a draft. What a dossier still lacks
is a read: applications/queries/completeness.py; co-editors and invitations: applications/domain/invitations.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.domain import coediting
from applications.domain.sections import PARTNERS, get_section
from applications.models import Campaign, Dossier, DossierChange

# --- creation ------------------------------------------------------------------------------------------------


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
    from applications import rules as dossier_rules

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
