"""Named reads on laureates: the public ones (published waves only) and the press ones (decided, maybe embargoed).

Every page, export, feed and sitemap asks these functions, so the embargo rule is written once:
a laureate is public iff the wave its decision was taken in is published (``publishes_at <= now``), the rule of
``applications.rules.decision_published_q`` that every dossier page, list and e-mail follows too.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from applications.models import Campaign, Dossier, Wave
from applications.states import DossierStatus


@dataclass(frozen=True)
class LaureateFilters:
    """Scope and filters of a laureate list. Codes are INSEE codes; ``programme`` is ``acv`` or ``ti``."""

    campaign: Campaign | None = None
    wave: Wave | None = None
    region: str = ""
    departement: str = ""
    programme: str = ""


def _with_related(qs: QuerySet) -> QuerySet:
    return qs.select_related(
        "campaign", "wave", "region", "commune__departement", "commune__region", "epci__region", "antenna"
    )


def _filter(qs: QuerySet, filters: LaureateFilters) -> QuerySet:
    if filters.wave is not None:
        qs = qs.filter(wave=filters.wave)
    elif filters.campaign is not None:
        qs = qs.filter(campaign=filters.campaign)
    if filters.region:
        qs = qs.filter(region__code=filters.region)
    if filters.departement:
        qs = qs.filter(commune__departement__code=filters.departement)
    if filters.programme:
        qs = qs.in_programme(filters.programme)
    return qs


# A laureate the committee has decided (an imported laureate without a decision date is not one).
DECIDED_LAUREATE = Q(status=DossierStatus.LAUREATE, decided_at__isnull=False)


def decided_laureates(*, filters: LaureateFilters = LaureateFilters()) -> QuerySet:
    """Every laureate the committee has decided, published or not: for the press area only. Each carries its
    applicant's programmes (``programme_codes``, ``programme_labels``)."""
    qs = Dossier.objects.with_programmes().filter(DECIDED_LAUREATE, wave__isnull=False)
    return _with_related(_filter(qs, filters)).order_by("campaign__name", "wave__number", "commune__name", "epci__name")


def waves_with_decided_laureate_counts() -> QuerySet:
    """Every wave, newest campaign first, with ``laureate_count``: its decided laureates (``decided_laureates``'s
    rule), published or not: for the press area only. Counted per wave in a subquery on the status index rather than
    by joining and grouping every dossier of every wave (issue 13)."""
    laureates = (
        Dossier.objects.filter(DECIDED_LAUREATE, wave=OuterRef("pk"))
        .order_by()
        .values("wave")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Wave.objects.select_related("campaign")
        .annotate(laureate_count=Coalesce(Subquery(laureates, output_field=IntegerField()), 0))
        .order_by("-campaign__created_at", "number")
    )


def published_laureates(*, now: datetime, filters: LaureateFilters = LaureateFilters()) -> QuerySet:
    """Laureates whose decision is public at ``now`` (the wave it was taken in is published; the same rule as
    every other surface, ``applications.rules.decision_published_q``): what anyone may see."""
    return decided_laureates(filters=filters).decision_published_at(now)


def laureates_for(*, press: bool, now: datetime, filters: LaureateFilters = LaureateFilters()) -> QuerySet:
    return decided_laureates(filters=filters) if press else published_laureates(now=now, filters=filters)


def embargo_until(queryset: QuerySet, *, now: datetime) -> datetime | None:
    """The latest publication instant still in the future among ``queryset``'s waves, or None if all are public."""
    return queryset.order_by().filter(wave__publishes_at__gt=now).aggregate(until=Max("wave__publishes_at"))["until"]


def published_waves(*, now: datetime, campaign: Campaign | None = None) -> QuerySet:
    qs = Wave.objects.published_at(now).select_related("campaign")
    return qs.filter(campaign=campaign) if campaign is not None else qs


def campaigns_with_published_results(*, now: datetime) -> QuerySet:
    """Campaigns having at least one published wave with a laureate, with their public laureate count."""
    public = Q(
        dossiers__in=Dossier.objects.filter(status=DossierStatus.LAUREATE).decision_published_at(now).values("pk")
    )
    return (
        Campaign.objects.annotate(laureate_count=Count("dossiers", filter=public))
        .filter(laureate_count__gt=0)
        .order_by("-created_at")
    )


def published_wave(*, campaign: Campaign, number: int, now: datetime) -> Wave | None:
    return published_waves(now=now, campaign=campaign).filter(number=number).first()


def published_laureate(*, campaign: Campaign, code: str, now: datetime) -> Dossier | None:
    """The public laureate of ``campaign`` with INSEE code (commune) or SIREN (EPCI) ``code``, or None."""
    qs = published_laureates(now=now, filters=LaureateFilters(campaign=campaign))
    return qs.filter(Q(commune__insee_code=code) | Q(epci__siren=code)).first()


def counts_by_region(queryset: QuerySet) -> list[dict]:
    """[{"name": région, "code": code, "count": n}], largest first."""
    rows = queryset.order_by().values("region__code", "region__name").annotate(count=Count("pk", distinct=True))
    result = [{"code": r["region__code"] or "", "name": r["region__name"] or "—", "count": r["count"]} for r in rows]
    return sorted(result, key=lambda r: (-r["count"], r["name"]))


def not_retained_count(*, wave: Wave) -> int | None:
    """The not-retained count if the committee chose to show it for ``wave``, else None."""
    settings_row = getattr(wave, "publication_settings", None)
    if settings_row is None or not settings_row.show_not_retained_count:
        return None
    return Dossier.objects.filter(wave=wave, status=DossierStatus.NOT_RETAINED).count()
