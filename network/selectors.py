"""Named reads of the network: the public network (published laureates only), staff scopes, officials' antennas.

The public side starts from ``public.selectors.published_laureates``: the embargo rule is written once, there.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet

from applications.models import Campaign, Dossier
from applications.states import DossierStatus
from public.selectors import LaureateFilters, published_laureates

from .models import Antenna, AntennaReport, CnamCentre
from .rules import sees_all_antennas
from .status import IN_PROGRESS, STOPPED, AntennaStatus, antenna_status


def antenna_of(dossier: Dossier) -> Antenna | None:
    """The dossier's antenna if one is recorded (uses a ``select_related("antenna")`` when the caller made one)."""
    try:
        return dossier.antenna
    except Antenna.DoesNotExist:
        return None


@dataclass
class NetworkRow:
    dossier: Dossier
    antenna: Antenna | None
    status: AntennaStatus

    @property
    def code(self) -> str:
        """The city page's code: INSEE code of a commune, SIREN of an EPCI."""
        return self.dossier.applicant_code


@dataclass
class NetworkSummary:
    rows: list[NetworkRow]
    by_region: list[dict] = field(default_factory=list)
    by_campaign: list[dict] = field(default_factory=list)
    open: int = 0
    in_progress: int = 0
    stopped: int = 0


def public_network(*, now: datetime, today: date, campaign: Campaign | None = None) -> NetworkSummary:
    """Every published laureate (of ``campaign`` or all) with its antenna's status on ``today``, and the counts per
    région and per campaign. A fixed number of queries whatever the number of antennas."""
    laureates = published_laureates(now=now, filters=LaureateFilters(campaign=campaign))
    rows = [NetworkRow(d, antenna_of(d), antenna_status(antenna_of(d), today)) for d in laureates]
    return summarise(rows)


def summarise(rows: list[NetworkRow]) -> NetworkSummary:
    summary = NetworkSummary(rows=rows)
    regions, campaigns = {}, {}
    for row in rows:
        bucket = "open" if row.status == AntennaStatus.OPEN else "stopped" if row.status in STOPPED else "in_progress"
        setattr(summary, bucket, getattr(summary, bucket) + 1)
        for key, name, counts in (
            (row.dossier.region_id, row.dossier.region.name if row.dossier.region_id else "—", regions),
            (row.dossier.campaign_id, row.dossier.campaign.name, campaigns),
        ):
            entry = counts.setdefault(key, {"name": name, "open": 0, "in_progress": 0, "stopped": 0, "total": 0})
            entry[bucket] += 1
            entry["total"] += 1
    summary.by_region = sorted(regions.values(), key=lambda r: (-r["open"], -r["total"], r["name"]))
    summary.by_campaign = sorted(campaigns.values(), key=lambda r: r["name"])
    return summary


def antennas_for_staff(user) -> QuerySet:
    """The antennas ``user`` manages in the admin: every one for coordinators and administrators, their régions'
    for regional staff, none for anyone else."""
    if not (user.is_authenticated and user.is_staff):
        return Antenna.objects.none()
    qs = Antenna.objects.select_related("dossier__campaign", "dossier__region", "dossier__commune", "dossier__epci")
    if sees_all_antennas(user):
        return qs
    return qs.filter(dossier__region__in=user.staff_regions)


def reports_for_staff(user) -> QuerySet:
    return AntennaReport.objects.filter(antenna__in=antennas_for_staff(user)).select_related(
        "antenna__dossier__commune", "antenna__dossier__epci", "submitted_by", "validated_by"
    )


def antennas_of_dossiers(dossiers) -> list[Antenna]:
    """The antennas of ``dossiers`` (loaded dossiers: an official's home page). Only a laureate has one
    (services.antenna_for_laureate), so without a laureate among them there is nothing to ask the database."""
    laureate_ids = [dossier.pk for dossier in dossiers if dossier.status == DossierStatus.LAUREATE]
    if not laureate_ids:
        return []
    return list(
        Antenna.objects.filter(dossier_id__in=laureate_ids).select_related(
            "dossier__campaign", "dossier__commune", "dossier__epci"
        )
    )


def network_points(*, today: date, exclude_dossier_id: int | None = None) -> list[tuple[Antenna, AntennaStatus]]:
    """Antennas open or being opened on ``today`` (suspended and closed ones excluded), with their status."""
    antennas = Antenna.objects.select_related("dossier__commune__departement", "dossier__epci").exclude(
        dossier_id=exclude_dossier_id
    )
    result = []
    for antenna in antennas:
        status = antenna_status(antenna, today)
        if status == AntennaStatus.OPEN or status in IN_PROGRESS:
            result.append((antenna, status))
    return result


def active_centres() -> QuerySet:
    return CnamCentre.objects.filter(is_active=True).select_related("commune__departement")


def antenna_columns(dossier: Dossier, *, today: date | None = None) -> list:
    """The antenna's status code and dates (ISO) for the laureate exports and open data, in the order of
    public.exports.COLUMNS. Uses a ``select_related("antenna")`` (public.selectors makes one)."""
    from django.utils import timezone

    antenna = antenna_of(dossier)
    status = antenna_status(antenna, today or timezone.localdate())
    dates = [getattr(antenna, name, None) for name in ("convention_signed_on", "opening_planned_on", "opened_on")]
    return [status.value, *[value.isoformat() if value else "" for value in dates]]
