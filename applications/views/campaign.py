"""The public page of a call (campaign): what it asks, by when, with which documents, and who may apply.

Readable before signing up: the call's documents, the waves' timeline, the required documents with the time it
takes to obtain them, an eligibility check through the commune search, the FAQ kept by staff, and a contact.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from applications.models import (
    REQUIRED_ATTACHMENT_KINDS,
    REQUIRED_ATTACHMENT_LEAD_TIMES,
    Campaign,
    CampaignDocument,
    Wave,
)
from applications.queries.home import official_territories
from cities.models import Commune, Programme, ProgrammeMembership
from cities.selectors import search_communes
from public.page_cache import cached_public_page

ELIGIBILITY_RESULTS = 8


@dataclass(frozen=True)
class WaveRow:
    wave: Wave
    now: object

    @property
    def state(self) -> str:
        if self.wave.is_open_at(self.now):
            return "open"
        return "upcoming" if self.now < self.wave.opens_at else "closed"


def _campaign(slug) -> Campaign:
    return get_object_or_404(Campaign, slug=slug)


def eligibility_results(query: str) -> list[Commune]:
    """Communes matching ``query`` with their programme memberships (two queries)."""
    if len(query) < 2:
        return []
    memberships = Prefetch("memberships", queryset=ProgrammeMembership.objects.order_by("programme"))
    communes = search_communes(query, limit=None).select_related("epci").prefetch_related(memberships)
    return list(communes[:ELIGIBILITY_RESULTS])


def _eligibility_context(request) -> dict:
    query = (request.GET.get("q") or "").strip()[:100]
    results = eligibility_results(query)
    for commune in results:
        by_programme = {m.programme: m for m in commune.memberships.all()}
        commune.acv, commune.ti = by_programme.get(Programme.ACV), by_programme.get(Programme.TI)
    return {"query": query, "results": results, "searched": bool(query)}


@require_GET
@cached_public_page
def campaign_page(request, slug):
    campaign = _campaign(slug)
    now = timezone.now()
    waves = [WaveRow(wave, now) for wave in campaign.waves.order_by("number")]
    context = {
        "campaign": campaign,
        "waves": waves,
        "accepting": any(row.state in ("open", "upcoming") for row in waves) and not campaign.is_historical,
        "required": [(kind.label, REQUIRED_ATTACHMENT_LEAD_TIMES.get(kind, "")) for kind in REQUIRED_ATTACHMENT_KINDS],
        "documents": list(campaign.documents.all()),
        "questions": list(campaign.questions.all()),
        "can_start": bool(official_territories(request.user)),
        **_eligibility_context(request),
    }
    return render(request, "applications/campaign/page.html", context)


@require_GET
def eligibility(request, slug):
    """The eligibility answer alone (htmx), or the whole page without JavaScript."""
    if not request.headers.get("HX-Request"):
        return campaign_page(request, slug)
    _campaign(slug)
    return render(request, "applications/campaign/_eligibility.html", _eligibility_context(request))


@require_GET
def campaign_document(request, slug, pk):
    document = get_object_or_404(CampaignDocument, campaign__slug=slug, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=False,
        filename=f"{slugify(document.title) or 'document'}.pdf",
        content_type="application/pdf",
    )
