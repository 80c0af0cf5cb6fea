"""Public search endpoints for search-as-you-type fields (htmx fragments) and scripts (JSON)."""

import re
import threading
import time

from cachetools import TTLCache
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from .selectors import search_communes, search_epcis

MIN_QUERY_LENGTH = 2
_FIELD_NAME = re.compile(r"^[\w-]{1,100}$")


def _query(request) -> tuple[str, str]:
    """(query, form field name). A field widget sends its own input, named like the field."""
    field = request.GET.get("field", "")
    field = field if _FIELD_NAME.match(field) else ""
    query = request.GET.get("q") or (request.GET.get(field) if field else "") or ""
    return query.strip()[:100], field


def _commune_json(commune) -> dict:
    return {
        "insee_code": commune.insee_code,
        "name": commune.name,
        "label": f"{commune.name} ({commune.departement.code})",
        "departement": {"code": commune.departement.code, "name": commune.departement.name},
        "region": {"code": commune.region.code, "name": commune.region.name},
        "postal_codes": commune.postal_codes,
        "population": commune.population,
    }


def _epci_json(epci) -> dict:
    region = {"code": epci.region.code, "name": epci.region.name} if epci.region else None
    return {"siren": epci.siren, "name": epci.name, "kind": epci.kind, "region": region}


# Search-as-you-type asks the same prefixes ("sai", "sain", "saint") over and over, and the territories only change
# when `load_territories` runs (at a deployment): each process keeps its latest answers, a bounded number of them (no
# query string can grow memory) for SEARCH_ANSWER_CACHE_SECONDS at most (issue 13: p95 under 30 ms at 10 users).
_recent_answers = TTLCache(maxsize=2048, ttl=max(settings.SEARCH_ANSWER_CACHE_SECONDS, 1), timer=time.time)
_recent_answers_lock = threading.Lock()


def _respond(request, *, kind: str, search, to_json):
    query, field = _query(request)
    as_json = request.GET.get("format") == "json"
    if settings.SEARCH_ANSWER_CACHE_SECONDS <= 0:
        return _answer(request, kind, query=query, field=field, as_json=as_json, search=search, to_json=to_json)
    key = (kind, query.casefold(), field, as_json, translation.get_language())
    with _recent_answers_lock:
        answer = _recent_answers.get(key)
    if answer is None:
        response = _answer(request, kind, query=query, field=field, as_json=as_json, search=search, to_json=to_json)
        answer = (response.status_code, response["Content-Type"], response.content)
        with _recent_answers_lock:
            _recent_answers[key] = answer
    status, content_type, content = answer
    return HttpResponse(content, status=status, content_type=content_type)


def forget_recent_answers() -> None:
    """Drop this process' memo of search answers (after the territories are loaded again, and in tests)."""
    with _recent_answers_lock:
        _recent_answers.clear()


def _answer(request, kind: str, *, query: str, field: str, as_json: bool, search, to_json):
    results = list(search(query)) if len(query) >= MIN_QUERY_LENGTH else []
    if as_json:
        return JsonResponse({"query": query, "results": [to_json(r) for r in results]})
    context = {"query": query, "results": results, "field": field, "too_short": len(query) < MIN_QUERY_LENGTH}
    return render(request, f"cities/{kind}_search_results.html", context)


@require_GET
def commune_search(request):
    """Up to 20 communes for ``?q=`` (name, postal or INSEE code): an HTML fragment, or JSON with ``format=json``.

    With ``field=NAME`` the fragment offers the results as radio buttons named ``NAME_choice`` for
    ``CommuneChoiceField``."""
    return _respond(request, kind="commune", search=search_communes, to_json=_commune_json)


@require_GET
def epci_search(request):
    """Up to 20 EPCI for ``?q=`` (name or SIREN): an HTML fragment, or JSON with ``format=json``."""
    return _respond(request, kind="epci", search=search_epcis, to_json=_epci_json)
