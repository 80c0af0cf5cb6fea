"""Import of earlier laureates and their antennas from a CSV (e.g. the 1st AMI's 55 laureates).

File format (UTF-8, with or without BOM, separator “;” or “,”), a header line, then one laureate commune per line:

    code_insee;titre;resume;convention_signee_le;ouverture_prevue_le;ouverte_le;adresse;formations
    71076;Antenne du Cnam de Chalon-sur-Saône;;2019-12-02;2020-01-06;2020-01-13;2 rue de la Gare;Titre RNCP niveau 5|Licence pro
    21231;;;;2021-09-01;;;

Only ``code_insee`` is required. Dates are ``AAAA-MM-JJ`` or ``JJ/MM/AAAA``; ``formations`` lists the training
paths opened, separated by “|”. A commune not yet laureate of the campaign becomes one (through
``public.imports.import_laureates``: the campaign must be historical).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Campaign, Dossier, Wave
from public.imports import LaureateImportError, LaureateLine, import_laureates

from . import services
from .models import Antenna, AntennaLogAction

CSV_FORMAT_HELP = __doc__.split("\n\n", 1)[1]
DATE_COLUMNS = {
    "convention_signee_le": "convention_signed_on",
    "ouverture_prevue_le": "opening_planned_on",
    "ouverte_le": "opened_on",
}


class AntennaImportError(Exception):
    """The file cannot be imported; ``errors`` name the lines, in French. Nothing was imported."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class AntennaLine:
    line: int
    insee_code: str
    title: str
    summary: str
    values: dict  # Antenna field → value


def _date(raw: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def _parse_row(row: dict, line: int, errors: list[str]) -> AntennaLine | None:
    code = (row.get("code_insee") or "").strip()
    if not code:
        errors.append(_("Line %(line)s: the INSEE code is missing.") % {"line": line})
        return None
    values = {}
    for column, field in DATE_COLUMNS.items():
        try:
            values[field] = _date(row.get(column) or "")
        except ValueError:
            errors.append(
                _("Line %(line)s: “%(value)s” in column %(column)s is not a date (AAAA-MM-JJ or JJ/MM/AAAA).")
                % {"line": line, "value": row.get(column), "column": column}
            )
    values["address"] = (row.get("adresse") or "").strip()
    paths = [p.strip() for p in (row.get("formations") or "").split("|") if p.strip()]
    values["training_paths"] = "\n".join(paths)
    code = code.zfill(5) if code.isdigit() else code.upper()
    return AntennaLine(line, code, (row.get("titre") or "").strip(), (row.get("resume") or "").strip(), values)


def parse_antenna_csv(text: str) -> list[AntennaLine]:
    """The lines of the file; raises AntennaImportError naming every bad line (nothing is written here)."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ",")
    reader.fieldnames = [(f or "").strip().lower() for f in reader.fieldnames or []]
    if "code_insee" not in reader.fieldnames:
        raise AntennaImportError([_("Line 1: the header must contain a “code_insee” column.")])
    lines, errors = [], []
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        parsed = _parse_row(row, reader.line_num, errors)
        if parsed is not None:
            lines.append(parsed)
    if errors:
        raise AntennaImportError(errors)
    if not lines:
        raise AntennaImportError([_("The file contains no INSEE code.")])
    return lines


def _check_milestones(lines: list[AntennaLine]) -> list[str]:
    errors = []
    for item in lines:
        try:
            Antenna(**item.values).clean()
        except ValidationError as exc:
            for message in exc.messages:
                errors.append(_("Line %(line)s: %(error)s") % {"line": item.line, "error": message})
    return errors


def import_antennas(*, campaign: Campaign, wave: Wave, lines: list[AntennaLine], by=None) -> dict:
    """Create the laureates (if needed) and record their antennas' milestones; returns the counts.

    Guarantees: all or nothing in one transaction (any bad line raises AntennaImportError naming it, in French,
    and nothing is written); idempotent (a re-import of the same file changes nothing and logs nothing); every
    change of an antenna is logged as an import.
    """
    errors = _check_milestones(lines)
    if errors:
        raise AntennaImportError(errors)
    counts = {"laureates": 0, "antennas": 0, "updated": 0}
    try:
        with transaction.atomic():
            counts["laureates"] = import_laureates(
                campaign=campaign,
                wave=wave,
                lines=[LaureateLine(i.line, i.insee_code, i.title, i.summary) for i in lines],
            )
            dossiers = {
                d.commune.insee_code: d
                for d in Dossier.objects.filter(
                    campaign=campaign, commune__insee_code__in=[i.insee_code for i in lines]
                ).select_related("commune")
            }
            for item in lines:
                _record(item, dossiers[item.insee_code], by, counts)
    except LaureateImportError as exc:
        raise AntennaImportError(exc.errors) from None
    return counts


def _record(item: AntennaLine, dossier: Dossier, by, counts: dict) -> None:
    created = not Antenna.objects.filter(dossier=dossier).exists()
    antenna = services.antenna_for_laureate(dossier=dossier, by=by)
    before = services.milestone_values(antenna)
    for field, value in item.values.items():
        setattr(antenna, field, value)
    changes = services.antenna_update_milestones(
        antenna=antenna, by=by, before=before, action=AntennaLogAction.IMPORTED
    )
    counts["antennas"] += created
    counts["updated"] += bool(changes) and not created
