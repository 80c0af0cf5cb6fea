"""Laureate exports: one row layout, four formats (CSV ×2, XLSX, ODS, JSON), embargo marking.

CSV and JSON are produced lazily (stdlib ``csv``/``json``) so they can stream; XLSX and ODS go through tablib.
The embargo notice is written in the file name and inside the file (first CSV line, sheet title, JSON field).
Every CSV/XLSX/ODS row goes through ``ami_portal.tabular.safe_row`` (no cell can become a formula).
"""

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

import tablib
from django.utils import timezone
from django.utils.translation import gettext as _

from ami_portal.tabular import safe_row
from network.selectors import antenna_columns
from public.models import ExportFormat
from public.selectors import LaureateFilters

LICENCE = "Licence Ouverte / Etalab 2.0 — https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

# (stable key used in JSON and open-data CSV, human label for spreadsheets)
COLUMNS: list[tuple[str, Callable[[], str]]] = [
    ("ville", lambda: _("City or territory")),
    ("code_insee", lambda: _("INSEE code (SIREN for an intercommunality)")),
    ("code_departement", lambda: _("Département code")),
    ("departement", lambda: _("Département")),
    ("region", lambda: _("Région")),
    ("population", lambda: _("Population")),
    ("programmes", lambda: _("Programmes")),
    ("campagne", lambda: _("Campaign")),
    ("vague", lambda: _("Wave")),
    ("date_decision", lambda: _("Decision date")),
    ("titre", lambda: _("Project title")),
    ("resume", lambda: _("Short public summary")),
    # The antenna the laureate leads to (network app): status derived on the day of the export, and its dates.
    ("statut_antenne", lambda: _("Antenna status")),
    ("convention_signee_le", lambda: _("Agreement signed on")),
    ("ouverture_prevue_le", lambda: _("Opening planned on")),
    ("antenne_ouverte_le", lambda: _("Antenna opened on")),
]
KEYS = [key for key, _label in COLUMNS]

CONTENT_TYPES = {
    ExportFormat.CSV_EXCEL: "text/csv; charset=utf-8",
    ExportFormat.CSV_PLAIN: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    ExportFormat.JSON: "application/json; charset=utf-8",
}
EXTENSIONS = {
    ExportFormat.CSV_EXCEL: "csv",
    ExportFormat.CSV_PLAIN: "csv",
    ExportFormat.XLSX: "xlsx",
    ExportFormat.ODS: "ods",
    ExportFormat.JSON: "json",
}
STREAMABLE = {ExportFormat.CSV_EXCEL, ExportFormat.CSV_PLAIN, ExportFormat.JSON}


def labels() -> list[str]:
    return [label() for _key, label in COLUMNS]


def laureate_row(dossier) -> list:
    """One laureate (from ``public.selectors``, so annotated with its programmes) as values in COLUMNS order."""
    commune = dossier.commune if dossier.commune_id else None
    if commune is not None:
        name, code, population = commune.name, commune.insee_code, commune.population
        dep_code, dep_name = commune.departement.code, commune.departement.name
    else:
        name, code, population, dep_code, dep_name = dossier.epci.name, dossier.epci.siren, None, "", ""
    programmes = ", ".join(dossier.programme_labels)
    decided = timezone.localdate(dossier.decided_at).isoformat() if dossier.decided_at else ""
    return [
        name,
        code,
        dep_code,
        dep_name,
        dossier.region.name if dossier.region_id else "",
        population,
        programmes,
        dossier.campaign.name,
        dossier.wave.number,
        decided,
        dossier.title,
        dossier.public_summary,
        *antenna_columns(dossier),
    ]


@dataclass(frozen=True)
class ExportMeta:
    """What the file says about itself: its scope, and the embargo if any row is not public yet."""

    scope_slug: str
    title: str
    embargo_until: datetime | None = None
    open_data: bool = False

    def embargo_notice(self) -> str:
        if self.embargo_until is None:
            return ""
        local = timezone.localtime(self.embargo_until)
        return _("EMBARGO — not to be published before %(date)s at %(time)s (Paris time)") % {
            "date": local.strftime("%d/%m/%Y"),
            "time": local.strftime("%H:%M"),
        }

    def filename(self, fmt: str) -> str:
        stem = f"laureats-{self.scope_slug}"
        if self.embargo_until is not None:
            stem += "-EMBARGO-jusqu-au-" + timezone.localtime(self.embargo_until).strftime("%Y-%m-%dT%Hh%M")
        return f"{stem}.{EXTENSIONS[fmt]}"

    def sheet_title(self) -> str:
        # Spreadsheet names: at most 31 characters, no ":" or "/".
        if self.embargo_until is None:
            return "Laureats"
        return "EMBARGO " + timezone.localtime(self.embargo_until).strftime("%Y-%m-%d %Hh%M")


def scope_slug(filters: LaureateFilters) -> str:
    if filters.wave is not None:
        slug = f"{filters.wave.campaign.slug}-vague{filters.wave.number}"
    elif filters.campaign is not None:
        slug = filters.campaign.slug
    else:
        slug = "toutes-campagnes"
    extras = [
        f"region-{filters.region}" if filters.region else "",
        f"dep-{filters.departement}" if filters.departement else "",
        filters.programme,
    ]
    return "-".join([slug, *[e for e in extras if e]])


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value):
        return value


def iter_csv(rows: Iterable[list], *, meta: ExportMeta, fmt: str) -> Iterator[str]:
    """CSV lines; the texts are translated now, while the request's language is active, not while streaming."""
    excel = fmt == ExportFormat.CSV_EXCEL
    preamble = [[meta.embargo_notice()]] if meta.embargo_until is not None else []
    header = KEYS if meta.open_data else labels()
    return _csv_lines(rows, preamble=[*preamble, header], excel=excel)


def _csv_lines(rows, *, preamble, excel) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        yield "\ufeff"  # the BOM makes French Excel read UTF-8
    for line in preamble:
        yield writer.writerow(safe_row(line))
    for row in rows:
        yield writer.writerow(["" if v is None else v for v in safe_row(row)])


def iter_json(rows: Iterable[list], *, meta: ExportMeta) -> Iterator[str]:
    """A JSON document {metadata..., "laureates": [...]}, produced row by row."""
    head = {
        "title": str(meta.title),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "embargo_until": meta.embargo_until.isoformat() if meta.embargo_until else None,
        "embargo_notice": meta.embargo_notice() or None,
        "licence": LICENCE if meta.open_data else None,
        "fields": KEYS,
    }
    return _json_parts(rows, head=json.dumps(head, ensure_ascii=False))


def _json_parts(rows, *, head: str) -> Iterator[str]:
    yield head[:-1] + ', "laureates": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + json.dumps(dict(zip(KEYS, row, strict=True)), ensure_ascii=False)
    yield "\n]}\n"


def build_dataset(rows: Iterable[list], *, meta: ExportMeta) -> tablib.Dataset:
    data = tablib.Dataset(headers=safe_row(labels()), title=meta.sheet_title())
    for row in rows:
        data.append(safe_row(row))
    return data


def render_bytes(rows: Iterable[list], *, meta: ExportMeta, fmt: str) -> bytes:
    """The whole file in memory (XLSX/ODS always; CSV/JSON when written to a job file)."""
    if fmt == ExportFormat.JSON:
        return "".join(iter_json(rows, meta=meta)).encode("utf-8")
    if fmt in (ExportFormat.CSV_EXCEL, ExportFormat.CSV_PLAIN):
        return "".join(iter_csv(rows, meta=meta, fmt=fmt)).encode("utf-8")
    return build_dataset(rows, meta=meta).export(fmt)
