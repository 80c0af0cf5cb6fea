"""Coverage of a candidate dossier, for reviewers and the committee: how far the nearest antenna (open or being
opened) and the nearest Cnam centre are, the population of the commune or EPCI, its programmes.

Distances are great-circle (haversine) between real coordinates: the commune's, or for an EPCI the mean of its
communes'. A place without coordinates (e.g. a commune missing from the coordinates file) gets no distance.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Sum

from cities.models import Commune

from . import selectors
from .geo import haversine_km
from .status import AntennaStatus


@dataclass(frozen=True)
class Nearest:
    name: str
    km: float
    status: str = ""


@dataclass(frozen=True)
class Coverage:
    population: int | None
    programmes: list[str]
    has_coordinates: bool
    nearest_antenna: Nearest | None
    nearest_centre: Nearest | None


def dossier_point(dossier) -> tuple[float, float] | None:
    """The (latitude, longitude) of a dossier's applicant: its commune, or the mean of its EPCI's communes."""
    return points_of([dossier])[dossier.pk]


def _population(dossier) -> int | None:
    if dossier.commune_id:
        return dossier.commune.population
    return Commune.objects.filter(epci_id=dossier.epci_id).aggregate(total=Sum("population"))["total"]


def _nearest(point, candidates) -> Nearest | None:
    best = None
    for name, where, status in candidates:
        if where is None:
            continue
        km = haversine_km(point, where)
        if best is None or km < best.km:
            best = Nearest(name=name, km=round(km, 1), status=status)
    return best


def antenna_point(antenna) -> tuple[float, float] | None:
    return dossier_point(antenna.dossier)


@dataclass(frozen=True)
class Reference:
    """The network and the centres, located once, for the coverage of many dossiers."""

    antennas: list  # (dossier id, name, point, status label)
    centres: list  # (name, point)


def reference_points(*, today: date) -> Reference:
    antennas = [
        (a.dossier_id, a.dossier.applicant_name, antenna_point(a), AntennaStatus(s).label)
        for a, s in selectors.network_points(today=today)
    ]
    return Reference(antennas=antennas, centres=[(c.name, c.coordinates) for c in selectors.active_centres()])


def dossier_coverage(dossier, *, today: date, reference: Reference | None = None) -> Coverage:
    """The coverage panel's figures for ``dossier`` (its own antenna, if any, is not counted). Pass ``reference``
    (``reference_points``) when computing it for many dossiers."""
    point = dossier_point(dossier)
    from applications.models import Dossier

    labels = Dossier.objects.with_programmes().get(pk=dossier.pk).programme_labels
    nearest_antenna = nearest_centre = None
    if point is not None:
        reference = reference or reference_points(today=today)
        nearest_antenna = _nearest(
            point,
            (
                (name, where, status)
                for dossier_id, name, where, status in reference.antennas
                if dossier_id != dossier.pk
            ),
        )
        nearest_centre = _nearest(point, ((name, where, "") for name, where in reference.centres))
    return Coverage(
        population=_population(dossier),
        programmes=labels,
        has_coordinates=point is not None,
        nearest_antenna=nearest_antenna,
        nearest_centre=nearest_centre,
    )


def points_of(dossiers) -> dict[int, tuple[float, float] | None]:
    """The (latitude, longitude) of many dossiers' applicants (``dossier_point`` for each), in one query at most:
    the dossiers' communes must be loaded (select_related); intercommunalities get their communes' mean."""
    epci_ids = {d.epci_id for d in dossiers if not d.commune_id and d.epci_id}
    centres = {}
    if epci_ids:
        rows = (
            Commune.objects.filter(epci_id__in=epci_ids, latitude__isnull=False)
            .values("epci_id")
            .annotate(latitude=Avg("latitude"), longitude=Avg("longitude"))
            .order_by()
        )
        centres = {row["epci_id"]: (row["latitude"], row["longitude"]) for row in rows}
    points = {}
    for dossier in dossiers:
        if dossier.commune_id:
            commune = dossier.commune
            points[dossier.pk] = (commune.latitude, commune.longitude) if commune.latitude is not None else None
        else:
            points[dossier.pk] = centres.get(dossier.epci_id)
    return points


def nearest_antennas(dossiers, *, today: date, reference: Reference | None = None) -> dict[int, Nearest | None]:
    """Each dossier's nearest antenna open or being opened (its own excluded), None without coordinates or network:
    for the ranking's column and its "farthest from the network first" order."""
    reference = reference or reference_points(today=today)
    points = points_of(dossiers)
    return {
        dossier.pk: _nearest(
            points[dossier.pk],
            (
                (name, where, status)
                for dossier_id, name, where, status in reference.antennas
                if dossier_id != dossier.pk
            ),
        )
        if points[dossier.pk]
        else None
        for dossier in dossiers
    }
