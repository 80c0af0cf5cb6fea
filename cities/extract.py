"""The compact extract of the official division of France shipped in the repository.

Format (gzip-compressed JSON Lines, so that an error can name its line):

- line 1, a header object: ``{"format": "ami-territories", "version": 1, "source": "...", "counts": {...}}``;
- then one JSON array per line, the first item saying what it describes:
  ``["R", code, name]`` a région,
  ``["D", code, name, region_code]`` a département,
  ``["E", siren, name, kind, region_code|null]`` an EPCI,
  ``["C", insee_code, name, departement_code, region_code, epci_siren|null, [postal codes], population|null,
  siren, latitude|null, longitude|null]`` a commune.

A record may only refer to records on earlier lines. ``read_extract`` checks every line and raises
``TerritoryDataError`` naming the first bad one; it never returns half a file.
"""

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

FORMAT = "ami-territories"
VERSION = 1
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_EXTRACT = DATA_DIR / "territories.jsonl.gz"


class TerritoryDataError(ValueError):
    """A data file that cannot be loaded; the message names the file and line."""


@dataclass
class Territories:
    """The facts of an extract, keyed by code: each value is the dict of model field values."""

    source: str = ""
    regions: dict = field(default_factory=dict)
    departements: dict = field(default_factory=dict)
    epcis: dict = field(default_factory=dict)
    communes: dict = field(default_factory=dict)


def _is_text(value, *, empty_ok=False) -> bool:
    return isinstance(value, str) and (empty_ok or bool(value.strip()))


def _is_number(value) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _region(data: Territories, rec: list) -> str | None:
    if len(rec) != 3 or not (_is_text(rec[1]) and _is_text(rec[2])):
        return _("a région needs a code and a name")
    data.regions[rec[1]] = {"name": rec[2]}
    return None


def _departement(data: Territories, rec: list) -> str | None:
    if len(rec) != 4 or not all(_is_text(v) for v in rec[1:]):
        return _("a département needs a code, a name and a région code")
    if rec[3] not in data.regions:
        return _("unknown région code “%(code)s”") % {"code": rec[3]}
    data.departements[rec[1]] = {"name": rec[2], "region": rec[3]}
    return None


def _epci(data: Territories, rec: list) -> str | None:
    if len(rec) != 5 or not (_is_text(rec[1]) and _is_text(rec[2]) and _is_text(rec[3], empty_ok=True)):
        return _("an EPCI needs a SIREN, a name, a legal form and a région code")
    if rec[4] is not None and rec[4] not in data.regions:
        return _("unknown région code “%(code)s”") % {"code": rec[4]}
    data.epcis[rec[1]] = {"name": rec[2], "kind": rec[3], "region": rec[4]}
    return None


def _commune(data: Territories, rec: list) -> str | None:
    if len(rec) != 11:
        return _("a commune needs 11 values, not %(count)s") % {"count": len(rec)}
    _kind, code, name, dep, reg, epci, postal_codes, population, siren, lat, lng = rec
    if not (_is_text(code) and len(code) == 5 and _is_text(name) and _is_text(siren, empty_ok=True)):
        return _("a commune needs a five-character INSEE code and a name")
    if not (isinstance(postal_codes, list) and all(_is_text(p) for p in postal_codes)):
        return _("the postal codes must be a list of strings")
    if not (_is_number(population) and _is_number(lat) and _is_number(lng)) or (population or 0) < 0:
        return _("population, latitude and longitude must be numbers")
    for value, known, label in ((dep, data.departements, "département"), (reg, data.regions, "région")):
        if value not in known:
            return _("unknown %(what)s code “%(code)s”") % {"what": label, "code": value}
    if epci is not None and epci not in data.epcis:
        return _("unknown EPCI SIREN “%(code)s”") % {"code": epci}
    data.communes[code] = {
        "name": name,
        "departement": dep,
        "region": reg,
        "epci": epci,
        "postal_codes": postal_codes,
        "population": population,
        "siren": siren,
        "latitude": lat,
        "longitude": lng,
    }
    return None


_READERS = {"R": _region, "D": _departement, "E": _epci, "C": _commune}


def _read_header(line: str) -> str:
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("version") != VERSION:
        raise ValueError(_("the first line must be the header of a version %(version)s extract") % {"version": VERSION})
    return str(header.get("source", ""))


def _read_record(data: Territories, line: str) -> None:
    try:
        rec = json.loads(line)
    except ValueError as exc:
        raise ValueError(_("invalid JSON (%(error)s)") % {"error": exc}) from exc
    if not isinstance(rec, list) or not rec or rec[0] not in _READERS:
        raise ValueError(_("a record must be a list starting with R, D, E or C"))
    error = _READERS[rec[0]](data, rec)
    if error:
        raise ValueError(error)


def read_extract(path: Path = DEFAULT_EXTRACT) -> Territories:
    """Parse and check a whole extract. Raises TerritoryDataError naming the file and the first bad line."""
    data = Territories()
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            number = 0
            for number, line in enumerate(lines, start=1):  # noqa: B007 - used after the loop
                try:
                    if number == 1:
                        data.source = _read_header(line)
                    elif line.strip():
                        _read_record(data, line)
                except ValueError as exc:
                    raise TerritoryDataError(
                        _("%(file)s, line %(line)s: %(error)s")
                        % {"file": Path(path).name, "line": number, "error": exc}
                    ) from exc
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise TerritoryDataError(
            _("%(file)s cannot be read: %(error)s") % {"file": Path(path).name, "error": exc}
        ) from exc
    if number == 0 or not data.communes:
        raise TerritoryDataError(_("%(file)s holds no commune.") % {"file": Path(path).name})
    return data
