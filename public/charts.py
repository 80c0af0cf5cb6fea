"""Server-rendered SVG pictures of the results (no tile server, no script): a dot map and a bar chart.

The map projects latitude/longitude equirectangularly over metropolitan France (longitude scaled by
cos 46.5°); its outline is the set of grid cells holding at least one commune, derived from the
communes' coordinates and cached (reference data, not results, so caching it leaks nothing).
"""

import math
from dataclasses import dataclass

from django.core.cache import cache

from . import selectors

LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 41.3, 51.15, -5.2, 9.6
WIDTH = 600
X_SCALE = math.cos(math.radians(46.5))
HEIGHT = round(WIDTH * (LAT_MAX - LAT_MIN) / ((LON_MAX - LON_MIN) * X_SCALE))
CELL_DEGREES = 0.2
OUTLINE_CACHE_KEY = "public:map-outline:v2"


def in_metropole(lat, lon) -> bool:
    return lat is not None and lon is not None and LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX


def project(lat: float, lon: float) -> tuple[float, float]:
    x = (lon - LON_MIN) / (LON_MAX - LON_MIN) * WIDTH
    y = (LAT_MAX - lat) / (LAT_MAX - LAT_MIN) * HEIGHT
    return round(x, 1), round(y, 1)


def outline_cells() -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) cells covering the communes' territory; a degree of latitude is taller on screen than
    a degree of longitude (the projection scales longitude by cos 46.5°), so cells are as tall as a grid row."""
    cells = cache.get(OUTLINE_CACHE_KEY)
    if cells is None:
        occupied = {
            (math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES))
            for lat, lon in selectors.commune_coordinates() if in_metropole(lat, lon)
        }
        width = round(CELL_DEGREES / (LON_MAX - LON_MIN) * WIDTH + 0.6, 1)
        height = round(CELL_DEGREES / (LAT_MAX - LAT_MIN) * HEIGHT + 0.6, 1)
        cells = sorted(project((i + 1) * CELL_DEGREES, j * CELL_DEGREES) + (width, height) for i, j in occupied)
        cache.set(OUTLINE_CACHE_KEY, cells, 24 * 3600)
    return cells


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


def laureate_dots(dossiers) -> tuple[list[Dot], list]:
    """Dots for the laureates located in metropolitan France, and the others (overseas, EPCI, no coordinates)."""
    dots, elsewhere = [], []
    for dossier in dossiers:
        commune = dossier.commune if dossier.commune_id else None
        if commune is not None and in_metropole(commune.latitude, commune.longitude):
            dots.append(Dot(*project(commune.latitude, commune.longitude), label=commune.name))
        else:
            elsewhere.append(dossier)
    return dots, elsewhere


@dataclass(frozen=True)
class Bar:
    y: int
    width: float
    label: str
    count: int


BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, BAR_AREA = 22, 8, 220, 320


def region_bars(counts: list[dict]) -> tuple[list[Bar], int]:
    """Horizontal bars (one per région) and the chart's height."""
    top = max((c["count"] for c in counts), default=0) or 1
    bars = [
        Bar(y=i * (BAR_HEIGHT + BAR_GAP), width=round(c["count"] / top * BAR_AREA, 1), label=c["name"], count=c["count"])
        for i, c in enumerate(counts)
    ]
    return bars, max(len(bars) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT)
