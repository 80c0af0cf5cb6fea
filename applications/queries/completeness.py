"""What a dossier still lacks before submission, and its progress by section (reads; no side effect).

The required fields come from the one section registry (applications/domain/sections.py); the submission
checklist, the progress bar and the home page all ask these functions."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy

from applications.domain.sections import PARTNERS, SECTIONS, SectionSpec
from applications.models import Dossier, DossierChange


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
