"""Public pages: home, published results (per campaign, wave and laureate city), open data.

Every read goes through ``selectors.published_*`` with ``now`` taken at request time, so an unpublished
wave's results are simply absent (its pages 404).
"""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ami_portal import charts
from applications.models import Campaign, Wave
from cities.models import Programme
from network.maps import laureates_map
from public import exports, selectors, services
from public.forms import ResultsFilterForm
from public.models import ExportFormat
from public.page_cache import cached_public_page
from public.selectors import LaureateFilters


@cached_public_page
def home(request):
    now = timezone.now()
    open_waves = Wave.objects.open_at(now).select_related("campaign").order_by("closes_at")
    upcoming_waves = Wave.objects.filter(opens_at__gt=now).select_related("campaign").order_by("opens_at")[:3]
    campaigns = selectors.campaigns_with_published_results(now=now)
    return render(
        request,
        "public/home.html",
        {
            "open_waves": open_waves,
            "upcoming_waves": upcoming_waves,
            "now": now,
            "result_campaigns": campaigns,
        },
    )


@cached_public_page
def results_index(request):
    campaigns = selectors.campaigns_with_published_results(now=timezone.now())
    return render(request, "public/results/index.html", {"campaigns": campaigns})


def _summary(laureates: list) -> dict:
    """Counts and pictures computed from the already fetched laureates (no extra query per row)."""
    by_region: dict[str, int] = {}
    by_programme = {code: 0 for code, _label in Programme.choices}
    for dossier in laureates:
        name = dossier.region.name if dossier.region_id else "—"
        by_region[name] = by_region.get(name, 0) + 1
        for code in dossier.programme_codes:
            by_programme[code] += 1
    regions = sorted(({"name": k, "count": v} for k, v in by_region.items()), key=lambda r: (-r["count"], r["name"]))
    chart = charts.bar_chart(
        title=_("Laureates by région"),
        description=_("Number of laureates of each région."),
        data=[(row["name"], row["count"]) for row in regions],
    )
    france_map, elsewhere = laureates_map(laureates, title=_("Map of France with the laureate cities"))
    return {
        "total": len(laureates),
        "by_region": regions,
        "by_programme": [(label, by_programme[code]) for code, label in Programme.choices],
        "region_chart": chart,
        "france_map": france_map,
        "elsewhere": elsewhere,
    }


@cached_public_page(params=("region", "programme"))
def campaign_results(request, slug, number=None):
    now = timezone.now()
    campaign = get_object_or_404(Campaign, slug=slug)
    waves = list(selectors.published_waves(now=now, campaign=campaign).select_related("publication_settings"))
    wave = next((w for w in waves if w.number == number), None) if number is not None else None
    if not waves or (number is not None and wave is None):
        raise Http404
    form = ResultsFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = LaureateFilters(
        campaign=campaign,
        wave=wave,
        region=data["region"].code if data.get("region") else "",
        programme=data.get("programme") or "",
    )
    laureates = list(selectors.published_laureates(now=now, filters=filters))
    context = {
        "campaign": campaign,
        "waves": waves,
        "wave": wave,
        "form": form,
        "laureates": laureates,
        "not_retained": selectors.not_retained_count(wave=wave) if wave else None,
        **_summary(laureates),
    }
    return render(request, "public/results/campaign.html", context)


@cached_public_page
def laureate_detail(request, slug, code):
    campaign = get_object_or_404(Campaign, slug=slug)
    dossier = selectors.published_laureate(campaign=campaign, code=code, now=timezone.now())
    if dossier is None:
        raise Http404
    return render(request, "public/results/laureate.html", {"campaign": campaign, "dossier": dossier})


@cached_public_page
def opendata(request):
    now = timezone.now()
    context = {
        "campaigns": selectors.campaigns_with_published_results(now=now),
        "columns": [(key, label()) for key, label in exports.COLUMNS],
        "licence": exports.LICENCE,
    }
    return render(request, "public/opendata/index.html", context)


@cached_public_page
def opendata_file(request, fmt, slug=None):
    """The public laureate list as open data (comma CSV or JSON with the licence), streamed."""
    campaign = get_object_or_404(Campaign, slug=slug) if slug else None
    queryset, meta = services.export_prepare(
        filters=LaureateFilters(campaign=campaign), press=False, now=timezone.now()
    )
    fmt = ExportFormat.JSON if fmt == "json" else ExportFormat.CSV_PLAIN
    rows = services.iter_rows(queryset)
    if fmt == ExportFormat.JSON:
        content = exports.iter_json(rows, meta=meta)
    else:
        content = exports.iter_csv(rows, meta=meta, fmt=fmt)
    response = StreamingHttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(False, meta.filename(fmt))
    response["Access-Control-Allow-Origin"] = "*"
    return response
