"""Optimistic concurrency for co-editors of a dossier section: nobody's text is overwritten silently.

A section form carries, for each of its fields, the fingerprint of the value it was loaded with (its *base*) and
the instant it was loaded. On save:

- a field the person did not touch (its value still matches its base) is not written, whatever is stored now;
- a field they changed is written if nobody else changed it since the form was loaded;
- a field both they and someone else changed is a *conflict*: it is not written, and the person is shown both
  versions and chooses (keeping theirs means saving again with the new base).

An autosave is stricter: it applies only if the stored value still matches its base, so a delayed autosave never
replaces a later save (the person's own or a co-editor's).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from applications.models import Dossier, DossierChange

BASE_PREFIX = "_base_"
LOADED_AT = "_loaded_at"
RESOLVE_PREFIX = "_resolve_"
KEEP_THEIRS = "theirs"


def fingerprint(value) -> str:
    """A short digest of a field value, equal for equal values whatever their Python type (``None`` and ``""``
    alike, ``Decimal("1.50")`` and ``Decimal("1.5")`` alike)."""
    if value is None:
        text = ""
    elif isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    elif isinstance(value, datetime | date):
        text = value.isoformat()
    else:
        text = str(value)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class EditBase:
    """What a form was loaded with: a fingerprint per field and the loading instant."""

    fingerprints: dict[str, str]
    loaded_at: datetime

    @classmethod
    def of(cls, dossier: Dossier, fields: list[str], *, now: datetime | None = None) -> EditBase:
        return cls({name: fingerprint(getattr(dossier, name)) for name in fields}, now or timezone.now())

    @classmethod
    def from_post(cls, data, fields: list[str]) -> EditBase | None:
        """The base a posted form carries, or None if it carries none (a client that predates it)."""
        loaded_at = parse_datetime(data.get(LOADED_AT, "") or "")
        fingerprints = {name: data[BASE_PREFIX + name] for name in fields if BASE_PREFIX + name in data}
        if loaded_at is None or not fingerprints:
            return None
        return cls(fingerprints, loaded_at)

    def as_hidden_fields(self) -> list[tuple[str, str, str]]:
        """(input name, element id, value) of the hidden inputs a form carries."""
        fields = [(BASE_PREFIX + name, f"base-{name}", value) for name, value in self.fingerprints.items()]
        return [*fields, (LOADED_AT, "base-loaded-at", self.loaded_at.isoformat())]


@dataclass(frozen=True)
class Conflict:
    """A field changed by someone else since the form was loaded, and by this person too."""

    field: str
    theirs: object
    mine: object
    change: DossierChange | None

    @property
    def label(self) -> str:
        return str(Dossier._meta.get_field(self.field).verbose_name).capitalize()

    @property
    def by(self):
        return self.change.by if self.change else None

    @property
    def at(self):
        return self.change.at if self.change else None


def touched_fields(data: dict, base: EditBase | None, fields: list[str]) -> list[str]:
    """The fields whose posted value differs from the value the form was loaded with (all, without a base)."""
    if base is None:
        return [name for name in fields if name in data]
    return [
        name
        for name in fields
        if name in data and fingerprint(data[name]) != base.fingerprints.get(name, fingerprint(None))
    ]


def others_changes(*, dossier: Dossier, section: str, since: datetime, by) -> dict[str, DossierChange]:
    """The latest change of each field of ``section`` made by someone other than ``by`` after ``since``."""
    changes = (
        DossierChange.objects.filter(dossier=dossier, section=section, at__gt=since)
        .exclude(by=by)
        .select_related("by")
        .order_by("at", "pk")
    )
    latest: dict[str, DossierChange] = {}
    for change in changes:
        for name in change.fields:
            latest[name] = change
    return latest


def find_conflicts(
    *, dossier: Dossier, section: str, data: dict, stored: dict, base: EditBase | None, touched: list[str], by
) -> list[Conflict]:
    """The touched fields whose stored value moved away from the base because of someone else."""
    if base is None:
        return []
    moved = [
        name
        for name in touched
        if fingerprint(stored[name]) != base.fingerprints.get(name)
        and fingerprint(stored[name]) != fingerprint(data[name])
    ]
    if not moved:
        return []
    changes = others_changes(dossier=dossier, section=section, since=base.loaded_at, by=by)
    return [
        Conflict(field=name, theirs=stored[name], mine=data[name], change=changes[name])
        for name in moved
        if name in changes
    ]


def autosave_is_stale(*, stored_value, value, base_fingerprint: str | None) -> bool:
    """True when the stored value changed since the autosaving page loaded it (and differs from this value)."""
    if base_fingerprint is None:
        return False
    current = fingerprint(stored_value)
    return current != base_fingerprint and current != fingerprint(value)


def last_change_of(*, dossier: Dossier, section: str, field: str) -> DossierChange | None:
    """The latest recorded change of ``field`` (to name who changed it and when)."""
    for change in DossierChange.objects.filter(dossier=dossier, section=section).select_related("by")[:50]:
        if field in change.fields:
            return change
    return None
