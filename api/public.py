"""Public endpoints (no token): campaigns, waves, published laureates and the antenna network.

Laureates and antennas come from ``public.selectors.published_laureates``, the one embargo rule of the results
pages and open data: before a wave's publication nothing of its decisions appears, after it exactly what the
results pages show. ``now`` is taken once per request.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from applications.models import Campaign, Wave
from cities.models import Programme
from public.selectors import LaureateFilters, published_laureates

from .conditional import conditional_get
from .pagination import NumberedPagination
from .schemas import AntennaOut, CampaignOut, LaureateOut, WaveOut

router = Router(tags=["Données publiques"])


def _clock(request):
    request.api_now = timezone.now()
    request.api_today = timezone.localdate(request.api_now)
    return request.api_now


class CampaignFilter(Schema):
    campagne: str | None = Field(None, description="Identifiant (slug) d'une campagne.")


class LaureateQuery(CampaignFilter):
    vague: int | None = Field(None, ge=1, description="Numéro d'une vague de la campagne (avec campagne).")
    region: str | None = Field(None, max_length=3, description="Code INSEE d'une région, par exemple 27.")
    departement: str | None = Field(None, max_length=3, description="Code INSEE d'un département, par exemple 71.")
    programme: Programme | None = Field(None, description="Programme : acv ou ti.")

    def laureate_filters(self) -> LaureateFilters:
        campaign = get_object_or_404(Campaign, slug=self.campagne) if self.campagne else None
        wave = None
        if self.vague is not None and campaign is not None:
            wave = get_object_or_404(Wave, campaign=campaign, number=self.vague)
        return LaureateFilters(
            campaign=campaign,
            wave=wave,
            region=self.region or "",
            departement=self.departement or "",
            programme=self.programme.value if self.programme else "",
        )


@router.get(
    "/campagnes",
    response=list[CampaignOut],
    url_name="public-campaigns",
    summary="Campagnes",
    description="Tous les appels à manifestation d'intérêt, le plus récent d'abord.",
)
@decorate_view(conditional_get)
@paginate(NumberedPagination)
def campaigns(request):
    _clock(request)
    return Campaign.objects.order_by("-created_at", "pk")


@router.get(
    "/vagues",
    response=list[WaveOut],
    url_name="public-waves",
    summary="Vagues",
    description="Les vagues des campagnes et leurs dates (heure de Paris), filtrables par campagne.",
)
@decorate_view(conditional_get)
@paginate(NumberedPagination)
def waves(request, filters: Query[CampaignFilter]):
    _clock(request)
    qs = Wave.objects.select_related("campaign").order_by("campaign__name", "number")
    if filters.campagne:
        qs = qs.filter(campaign=get_object_or_404(Campaign, slug=filters.campagne))
    return qs


@router.get(
    "/laureats",
    response=list[LaureateOut],
    url_name="public-laureates",
    summary="Lauréats publiés",
    description=(
        "Les lauréats dont les résultats de la vague sont publiés, exactement comme sur les pages de résultats ; "
        "filtrables par campagne, vague, région, département et programme."
    ),
)
@decorate_view(conditional_get)
@paginate(NumberedPagination)
def laureates(request, filters: Query[LaureateQuery]):
    now = _clock(request)
    return published_laureates(now=now, filters=filters.laureate_filters())


@router.get(
    "/reseau",
    response=list[AntennaOut],
    url_name="public-network",
    summary="Réseau des antennes",
    description=(
        "Chaque lauréat publié, avec le statut de son antenne à la date du jour et ses dates, comme sur la page du "
        "réseau ; filtrables par campagne, vague, région, département et programme."
    ),
)
@decorate_view(conditional_get)
@paginate(NumberedPagination)
def network(request, filters: Query[LaureateQuery]):
    now = _clock(request)
    return published_laureates(now=now, filters=filters.laureate_filters())
