"""Builds the shipped extract from the JSON files of ``@etalab/decoupage-administratif``.

Only current communes (type ``commune-actuelle``) are kept; delegated and associated communes and
municipal arrondissements are not places that can apply. An EPCI's région is the région of most of its
member communes (a few straddle two régions). Coordinates come from an optional CSV with ``insee_com``,
``lat`` and ``lng`` columns (several rows per commune, one per postal code: the first one with coordinates wins).
"""

import csv
import gzip
import io
import json
from collections import Counter
from pathlib import Path

from django.utils.translation import gettext as _

from .extract import DEFAULT_EXTRACT, FORMAT, VERSION, TerritoryDataError

SOURCE = "INSEE COG via @etalab/decoupage-administratif 6.0.0 (MIT, Licence Ouverte)"


def _load_json(source: Path, name: str) -> list:
    path = Path(source) / name
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise TerritoryDataError(_("%(file)s cannot be read: %(error)s") % {"file": path, "error": exc}) from exc


def read_coordinates(path: Path) -> dict[str, tuple[float, float]]:
    """INSEE code → (latitude, longitude) from a (possibly gzip-compressed) CSV."""
    opener = gzip.open if str(path).endswith(".gz") else open
    coordinates: dict[str, tuple[float, float]] = {}
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            code, lat, lng = row.get("insee_com"), row.get("lat"), row.get("lng")
            if not code or not lat or not lng or code in coordinates:
                continue
            try:
                coordinates[code] = (round(float(lat), 5), round(float(lng), 5))
            except ValueError as exc:
                raise TerritoryDataError(
                    _("%(file)s, line %(line)s: %(error)s") % {"file": Path(path).name, "line": number, "error": exc}
                ) from exc
    return coordinates


def _epci_regions(epcis: list, commune_region: dict[str, str]) -> dict[str, str | None]:
    regions = {}
    for epci in epcis:
        counts = Counter(commune_region.get(m["code"]) for m in epci.get("membres", []))
        counts.pop(None, None)
        regions[epci["code"]] = counts.most_common(1)[0][0] if counts else None
    return regions


def _records(source: Path, coordinates: dict) -> list[list]:
    regions = _load_json(source, "regions.json")
    departements = _load_json(source, "departements.json")
    epcis = _load_json(source, "epci.json")
    communes = [c for c in _load_json(source, "communes.json") if c.get("type") == "commune-actuelle"]
    commune_epci = {m["code"]: e["code"] for e in epcis for m in e.get("membres", [])}
    epci_region = _epci_regions(epcis, {c["code"]: c["region"] for c in communes})
    records = [["R", r["code"], r["nom"]] for r in regions]
    records += [["D", d["code"], d["nom"], d["region"]] for d in departements]
    records += [["E", e["code"], e["nom"], e.get("type", ""), epci_region[e["code"]]] for e in epcis]
    for c in sorted(communes, key=lambda c: c["code"]):
        lat, lng = coordinates.get(c["code"], (None, None))
        records.append(
            [
                "C",
                c["code"],
                c["nom"],
                c["departement"],
                c["region"],
                commune_epci.get(c["code"]),
                sorted(c.get("codesPostaux", [])),
                c.get("population"),
                c.get("siren", ""),
                lat,
                lng,
            ]
        )
    return records


def build_extract(*, source: Path, coordinates: Path | None = None, output: Path = DEFAULT_EXTRACT) -> Counter:
    """Write the extract to ``output`` (byte-for-byte reproducible) and return the count of each record kind."""
    records = _records(Path(source), read_coordinates(coordinates) if coordinates else {})
    counts = Counter(r[0] for r in records)
    with_coordinates = sum(1 for r in records if r[0] == "C" and r[9] is not None)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "source": SOURCE,
        "counts": {
            "regions": counts["R"],
            "departements": counts["D"],
            "epcis": counts["E"],
            "communes": counts["C"],
            "communes_with_coordinates": with_coordinates,
        },
    }
    text = io.StringIO()
    for item in [header, *records]:
        text.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n")
    # mtime=0 and no file name in the gzip header: rebuilding from the same sources gives the same bytes.
    with open(output, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    counts["with_coordinates"] = with_coordinates
    return counts
