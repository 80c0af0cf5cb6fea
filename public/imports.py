"""Import of a historical campaign's laureates from a CSV of INSEE codes (e.g. the 1st AMI, 26 September 2019).

File format (UTF-8, with or without BOM, separator “;” or “,”), one commune per line, with a header line:

    code_insee;titre;resume
    71076;Antenne du Cnam de Chalon-sur-Saône;Formations aux métiers de l'industrie.
    21231;;

Only ``code_insee`` is required; ``titre`` (project title) and ``resume`` (short public summary) may be empty.
A field containing the separator is quoted ("Chalon; Saône"), opening and closing on the same line. A file in
another encoding than UTF-8 (Excel's Windows-1252 "CSV"), with a NUL character, a quotation mark left open or a
line with more fields than the header is refused whole, naming the line.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Campaign, Dossier, Wave
from applications.states import DossierStatus, transition_dossier
from cities.models import Commune

CSV_FORMAT_HELP = __doc__.split("\n\n", 1)[1]
HISTORICAL_REASON = "Historical import of published results"


@dataclass(frozen=True)
class LaureateLine:
    line: int
    insee_code: str
    title: str = ""
    summary: str = ""


class LaureateImportError(Exception):
    """The file cannot be imported; ``errors`` name the lines. Nothing was imported."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def decode_laureate_csv(data: bytes) -> str:
    """The file's text; a file that is not UTF-8 (e.g. Windows-1252, as Excel saves “CSV”) is refused whole,
    naming the first line that cannot be read and saying how to save it."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LaureateImportError(
            [
                _(
                    "Line %(line)s: the file is not encoded in UTF-8 (probably Windows-1252, as Excel saves it). "
                    "Open it and save it again as “CSV UTF-8”, then import it again."
                )
                % {"line": line}
            ]
        ) from None


def parse_laureate_csv(text: str) -> list[LaureateLine]:
    """The lines of the file, or LaureateImportError naming every line that cannot be read as one commune:
    a NUL character, a quotation mark left open or misplaced, more fields than the header has."""
    text = text.lstrip("\ufeff")
    _refuse_nul_characters(text)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ",", strict=True)
    rows = _read_rows(reader)
    fields = [field.strip().lower() for field in rows[0][1]] if rows else []
    if "code_insee" not in fields:
        raise LaureateImportError([_("Line 1: the header must contain a “code_insee” column.")])
    errors, lines = [], []
    for number, values in rows[1:]:
        if len(values) > len(fields):
            errors.append(
                _(
                    "Line %(line)s: %(count)s fields where the header has %(expected)s; check the separators "
                    "and quotation marks."
                )
                % {"line": number, "count": len(values), "expected": len(fields)}
            )
            continue
        row = dict(zip(fields, values, strict=False))
        code = (row.get("code_insee") or "").strip()
        if code:
            lines.append(
                LaureateLine(
                    number,
                    code.zfill(5) if code.isdigit() else code.upper(),
                    (row.get("titre") or "").strip(),
                    (row.get("resume") or "").strip(),
                )
            )
    if errors:
        raise LaureateImportError(errors)
    return lines


def _refuse_nul_characters(text: str) -> None:
    bad = [number for number, line in enumerate(text.split("\n"), start=1) if "\x00" in line]
    if bad:
        raise LaureateImportError(
            [
                _("Line %(line)s: contains a NUL character; is this really a CSV text file?") % {"line": number}
                for number in bad
            ]
        )


def _read_rows(reader) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each record; one record is one line (a quoted field may not span lines)."""
    rows = []
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return rows
        except csv.Error:
            raise LaureateImportError([_misquoted(start)]) from None
        if reader.line_num != start:  # a quotation mark opened on this line closes on a later one
            raise LaureateImportError([_misquoted(start)])
        rows.append((start, values))


def _misquoted(line: int) -> str:
    return _(
        'Line %(line)s: a quotation mark (") is left open or misplaced. A quoted field must '
        "start and end with a quotation mark on the same line."
    ) % {"line": line}


def _check(lines: list[LaureateLine], *, campaign: Campaign, communes: dict) -> list[str]:
    errors, seen = [], {}
    existing = dict(
        Dossier.objects.filter(campaign=campaign, commune__insee_code__in=communes).values_list(
            "commune__insee_code", "status"
        )
    )
    for item in lines:
        if item.insee_code not in communes:
            errors.append(
                _("Line %(line)s: unknown INSEE code “%(code)s”.") % {"line": item.line, "code": item.insee_code}
            )
        elif item.insee_code in seen:
            errors.append(
                _("Line %(line)s: INSEE code “%(code)s” already appears on line %(first)s.")
                % {"line": item.line, "code": item.insee_code, "first": seen[item.insee_code]}
            )
        elif existing.get(item.insee_code) not in (None, DossierStatus.LAUREATE):
            errors.append(
                _("Line %(line)s: %(city)s already has a dossier in this campaign that is not a laureate.")
                % {"line": item.line, "city": communes[item.insee_code].name}
            )
        if len(item.title) > 200 or len(item.summary) > 1500:
            errors.append(
                _("Line %(line)s: the title (200) or the summary (1,500 characters) is too long.") % {"line": item.line}
            )
        seen.setdefault(item.insee_code, item.line)
    return errors


def import_laureates(
    *, campaign: Campaign, wave: Wave, lines: list[LaureateLine], decided_at: datetime | None = None
) -> int:
    """Create a laureate dossier per line in a historical campaign's wave; return how many were created.

    Guarantees: all or nothing (any bad line raises LaureateImportError naming it and nothing is written);
    idempotent (a commune already laureate of the campaign is skipped); each dossier reaches LAUREATE through
    the state machine, logged with the decision date (default: the wave's publication instant).
    """
    if not campaign.is_historical:
        raise LaureateImportError([_("Laureates can only be imported into a historical campaign.")])
    if wave.campaign_id != campaign.pk:
        raise LaureateImportError([_("This wave does not belong to the campaign.")])
    if not lines:
        raise LaureateImportError([_("The file contains no INSEE code.")])
    communes = Commune.objects.select_related("region").in_bulk([i.insee_code for i in lines], field_name="insee_code")
    errors = _check(lines, campaign=campaign, communes=communes)
    if errors:
        raise LaureateImportError(errors)
    decided_at = decided_at or wave.publishes_at
    created = 0
    with transaction.atomic():
        done = set(
            Dossier.objects.filter(campaign=campaign, commune__in=communes.values()).values_list(
                "commune_id", flat=True
            )
        )
        for item in lines:
            commune = communes[item.insee_code]
            if commune.pk not in done:
                _create_laureate(campaign=campaign, wave=wave, commune=commune, item=item, decided_at=decided_at)
                created += 1
    return created


def _create_laureate(*, campaign, wave, commune, item, decided_at) -> Dossier:
    dossier = Dossier.objects.create(
        campaign=campaign,
        wave=wave,
        commune=commune,
        region=commune.region,
        reference=f"H{campaign.pk}-{commune.insee_code}",
        title=item.title,
        public_summary=item.summary,
    )
    for status in (DossierStatus.SUBMITTED, DossierStatus.UNDER_REVIEW, DossierStatus.LAUREATE):
        transition_dossier(dossier, to=status, reason=HISTORICAL_REASON, now=decided_at)
    return dossier
