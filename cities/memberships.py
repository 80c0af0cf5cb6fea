"""Reading programme-membership files: the bundled ACV / TI lists and the documented import CSV.

Every function here only parses and checks the text; nothing touches the database. Errors name the file
and the line (line 1 is the header).
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _

from .extract import DATA_DIR
from .models import Programme
from .text import normalize_search_text

ACV_FILE = DATA_DIR / "acv_communes_anct_fb24f6b.csv"
TI_FILE = DATA_DIR / "ti_149_communes_cog2026_reconstructed.csv"
ACV_SOURCE = "ANCT, anct-carto/action_coeur_de_ville, data/coeurdeville.js @ fb24f6b (2024-09)"
TI_SOURCE = (
    "ANCT, anct-carto/superposeur-V2, data/admin/polygone-4326_ti.geojson @ 3f2b0c0 (2018-2022 list), "
    "communes through EPCI membership of @etalab/decoupage-administratif 6.0.0"
)
IMPORT_COLUMNS = ["insee_code", "programme", "territory_code", "territory_name", "since", "source"]
_INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_PROGRAMME_NAMES = {normalize_search_text(str(label)): value for value, label in Programme.choices} | {
    value: value for value in Programme.values
}


class MembershipFileError(ValueError):
    """A membership file with bad lines; ``errors`` lists one message per bad line."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class MembershipRow:
    line: int
    insee_code: str
    programme: str
    territory_code: str = ""
    territory_name: str = ""
    since: date | None = None
    source: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.programme, self.insee_code)


def line_error(filename: str, line: int, message: str) -> str:
    return _("%(file)s, line %(line)s: %(error)s") % {"file": filename, "line": line, "error": message}


def parse_date(text: str) -> date | None:
    """'2018-09-28' or '28/09/2018' → date; '' → None; anything else raises ValueError."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("invalid date “%(value)s” (expected YYYY-MM-DD or DD/MM/YYYY)") % {"value": text})


def parse_programme(text: str) -> str:
    value = _PROGRAMME_NAMES.get(normalize_search_text(text or ""))
    if value is None:
        raise ValueError(_("unknown programme “%(value)s” (expected acv or ti)") % {"value": text})
    return value


def _check_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not _INSEE_CODE.match(code):
        raise ValueError(_("invalid INSEE code “%(value)s”") % {"value": code})
    return code


def _rows(text: str, filename: str, build) -> list[MembershipRow]:
    """Apply ``build(record, line)`` to each CSV record; collect every error, raise them all together."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    reader.fieldnames = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    rows, errors, seen = [], [], {}
    try:
        for record in reader:
            line = reader.line_num
            try:
                row = build(record, line)
            except ValueError as exc:
                errors.append(line_error(filename, line, str(exc)))
                continue
            if row.key in seen:
                errors.append(
                    line_error(
                        filename, line, _("same commune and programme as line %(line)s") % {"line": seen[row.key]}
                    )
                )
            seen[row.key] = line
            rows.append(row)
    except csv.Error as exc:
        errors.append(line_error(filename, reader.line_num, str(exc)))
    if errors:
        raise MembershipFileError(errors)
    return rows


def _import_row(record: dict, line: int) -> MembershipRow:
    if None in record:
        raise ValueError(_("too many values"))
    source = (record.get("source") or "").strip()
    if not source:
        raise ValueError(_("the source is required"))
    return MembershipRow(
        line=line,
        insee_code=_check_code(record.get("insee_code")),
        programme=parse_programme(record.get("programme")),
        territory_code=(record.get("territory_code") or "").strip(),
        territory_name=(record.get("territory_name") or "").strip(),
        since=parse_date(record.get("since")),
        source=source,
    )


def decode(content: bytes | str, filename: str) -> str:
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MembershipFileError([_("%(file)s is not UTF-8 text.") % {"file": filename}]) from exc


def read_import_csv(content: bytes | str, *, filename: str) -> list[MembershipRow]:
    """Rows of the documented import format (UTF-8 with or without BOM, ``;`` or ``,``)."""
    text = decode(content, filename)
    header = [h.strip().lower() for h in re.split(r"[;,]", text.split("\n", 1)[0].strip())]
    missing = [c for c in ("insee_code", "programme", "source") if c not in header]
    if missing:
        raise MembershipFileError(
            [line_error(filename, 1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})]
        )
    return _rows(text, filename, _import_row)


def _acv_row(record: dict, line: int) -> MembershipRow:
    return MembershipRow(
        line=line,
        insee_code=_check_code(record["insee_com"]),
        programme=Programme.ACV,
        territory_code=record["id_acv"],
        territory_name=record["lib_acv"],
        since=parse_date(record["date_signature"]),
        source=ACV_SOURCE,
    )


def _ti_row(record: dict, line: int) -> MembershipRow:
    return MembershipRow(
        line=line,
        insee_code=_check_code(record["insee_com"]),
        programme=Programme.TI,
        territory_code=record["id_ti"],
        territory_name=record["lib_ti"],
        source=TI_SOURCE,
    )


def read_bundled_programmes(acv_file: Path = ACV_FILE, ti_file: Path = TI_FILE) -> list[tuple[str, MembershipRow]]:
    """(file name, row) for every membership of the bundled ACV and TI lists."""
    result = []
    for path, build in ((acv_file, _acv_row), (ti_file, _ti_row)):
        text = Path(path).read_text(encoding="utf-8-sig")

        def checked(record, line, build=build):
            if None in record or any(v is None for v in record.values()):
                raise ValueError(_("wrong number of values"))
            return build(record, line)

        result += [(Path(path).name, row) for row in _rows(text, Path(path).name, checked)]
    return result
