"""Writes on territorial data: loading the shipped extract, programme lists and membership imports."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .extract import DEFAULT_EXTRACT, read_extract
from .memberships import (
    ACV_FILE,
    TI_FILE,
    MembershipFileError,
    MembershipRow,
    line_error,
    read_bundled_programmes,
    read_import_csv,
)
from .models import Commune, Departement, Epci, ProgrammeMembership, Region
from .text import normalize_search_text


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Memberships recorded from another source (the admin, an import) that a bundled list leaves alone.
    kept: int = 0

    def __str__(self):
        text = _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % vars(self)
        if self.kept:
            text += _(", %(kept)s kept (recorded from another source)") % vars(self)
        return text


def _upsert(model, key: str, rows: dict[str, dict], batch_size: int = 1000) -> Counts:
    """Create missing rows and update changed ones, in bulk. ``rows`` maps key → {attname: value}."""
    fields = list(next(iter(rows.values()), {}))
    existing = {getattr(obj, key): obj for obj in model.objects.only(key, *fields)}
    to_create, to_update, counts = [], [], Counts()
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(**{key: code}, **values))
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=batch_size)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=500)
    counts.created, counts.updated = len(to_create), len(to_update)
    counts.unchanged = len(rows) - counts.created - counts.updated
    return counts


def _ids(model, key: str) -> dict[str, int]:
    return dict(model.objects.values_list(key, "pk"))


def _commune_rows(communes: dict, dep_ids: dict, reg_ids: dict, epci_ids: dict) -> dict[str, dict]:
    return {
        code: {
            "name": c["name"],
            "search_name": normalize_search_text(c["name"]),
            "departement_id": dep_ids[c["departement"]],
            "region_id": reg_ids[c["region"]],
            "epci_id": epci_ids.get(c["epci"]),
            "postal_codes": c["postal_codes"],
            "postal_codes_text": " ".join(c["postal_codes"]),
            "population": c["population"],
            "siren": c["siren"],
            "latitude": c["latitude"],
            "longitude": c["longitude"],
        }
        for code, c in communes.items()
    }


def load_territories(*, path: Path = DEFAULT_EXTRACT, programmes: bool = True) -> dict[str, Counts]:
    """Load the extract (and, by default, the bundled programme lists) into the database.

    Idempotent: a second run changes nothing; changed facts (a name, a population, an EPCI) are updated.
    Records missing from the extract are kept (a commune may carry dossiers). The whole file is checked
    before anything is written, and everything runs in one transaction: a bad file keeps nothing.
    Raises ``TerritoryDataError`` or ``MembershipFileError`` naming the bad line.
    """
    data = read_extract(path)
    report = {}
    with transaction.atomic():
        report["regions"] = _upsert(Region, "code", {code: {"name": r["name"]} for code, r in data.regions.items()})
        reg_ids = _ids(Region, "code")
        report["departements"] = _upsert(
            Departement,
            "code",
            {code: {"name": d["name"], "region_id": reg_ids[d["region"]]} for code, d in data.departements.items()},
        )
        report["epcis"] = _upsert(
            Epci,
            "siren",
            {
                siren: {
                    "name": e["name"],
                    "search_name": normalize_search_text(e["name"]),
                    "kind": e["kind"],
                    "region_id": reg_ids.get(e["region"]),
                }
                for siren, e in data.epcis.items()
            },
        )
        rows = _commune_rows(data.communes, _ids(Departement, "code"), reg_ids, _ids(Epci, "siren"))
        report["communes"] = _upsert(Commune, "insee_code", rows, batch_size=2000)
        if programmes:
            report["memberships"] = load_programmes()
    return report


def _membership_values(row: MembershipRow) -> dict:
    return {
        "territory_code": row.territory_code,
        "territory_name": row.territory_name,
        "since": row.since,
        "source": row.source,
    }


def _save_memberships(rows: list[tuple[str, MembershipRow]], *, overwrite_other_sources: bool) -> Counts:
    """Upsert memberships keyed by (programme, commune). Unknown INSEE codes raise, naming their lines."""
    commune_ids = _ids(Commune, "insee_code")
    errors = [
        line_error(name, row.line, _("unknown INSEE code “%(code)s”") % {"code": row.insee_code})
        for name, row in rows
        if row.insee_code not in commune_ids
    ]
    if errors:
        raise MembershipFileError(errors)
    existing = {(m.programme, m.commune_id): m for m in ProgrammeMembership.objects.all()}
    to_create, to_update, counts = [], [], Counts()
    for _name, row in rows:
        values = _membership_values(row)
        current = existing.get((row.programme, commune_ids[row.insee_code]))
        if current is None:
            to_create.append(
                ProgrammeMembership(programme=row.programme, commune_id=commune_ids[row.insee_code], **values)
            )
        elif current.source != row.source and not overwrite_other_sources:
            counts.kept += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            to_update.append(current)
        else:
            counts.unchanged += 1
    ProgrammeMembership.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        now = timezone.now()  # bulk_update does not apply auto_now
        for membership in to_update:
            membership.recorded_at = now
        fields = ["territory_code", "territory_name", "since", "source", "recorded_at"]
        ProgrammeMembership.objects.bulk_update(to_update, fields, batch_size=500)
    counts.created, counts.updated = len(to_create), len(to_update)
    return counts


@transaction.atomic
def load_programmes(*, acv_file: Path = ACV_FILE, ti_file: Path = TI_FILE) -> Counts:
    """Load the bundled Action Cœur de Ville and Territoires d'industrie lists (see cities/data/README.md).

    Idempotent. A membership whose source differs from the bundled list's (edited in the admin, imported
    from another source) is left alone. Atomic: an unknown commune in a list keeps nothing.
    """
    return _save_memberships(read_bundled_programmes(acv_file, ti_file), overwrite_other_sources=False)


@transaction.atomic
def import_memberships(*, content: bytes | str, filename: str) -> Counts:
    """Import a membership CSV (format in cities/README.md): creates or overwrites (programme, commune) rows.

    All or nothing: every bad line is reported (``MembershipFileError.errors``) and nothing is saved.
    """
    rows = read_import_csv(content, filename=filename)
    return _save_memberships([(filename, row) for row in rows], overwrite_other_sources=True)
