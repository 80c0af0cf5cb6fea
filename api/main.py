"""The read API, version 1, mounted under /api/v1/: its OpenAPI 3 schema, routers, rate limits and French errors."""

import math

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, Throttled, ValidationError

from . import public, staff
from .throttling import AnonymousRateThrottle, TokenRateThrottle

# The schema is one document, in French (the portal's language), the same whatever the request's language: its
# titles and descriptions are French literals, not translations, so the committed snapshot never depends on a
# locale. Error messages, read by people, are translated like the rest of the site.
DESCRIPTION = (
    "Données ouvertes de l'appel « Au cœur des territoires » (campagnes, vagues, lauréats publiés, réseau des "
    "antennes : sans jeton, ouvertes à toutes les origines) et, pour les agents du Cnam munis d'un jeton personnel, "
    "les dossiers et l'avancement des évaluations qu'ils voient dans l'administration. Dates et heures en heure de "
    "Paris (ISO 8601)."
)

api = NinjaAPI(
    title="API AMI « Au cœur des territoires »",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,  # the docs page is ours (api/views.py): vendored Swagger UI under the site's CSP
    throttle=[AnonymousRateThrottle(), TokenRateThrottle()],
)
api.add_router("/public/", public.router)
api.add_router("/staff/", staff.router)


def _json(request, status: int, detail: str, **headers):
    response = api.create_response(request, {"detail": detail}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    detail = _("Missing, unknown, revoked or expired API token: send « Authorization: Bearer <token> ».")
    return _json(request, 401, detail, WWW_Authenticate='Bearer realm="api"')


@api.exception_handler(AuthorizationError)
def forbidden(request, exc):
    return _json(request, 403, str(exc.message))


@api.exception_handler(Throttled)
def throttled(request, exc):
    seconds = math.ceil(exc.wait) if exc.wait else 60
    detail = _("Too many requests: try again in %(seconds)s s.") % {"seconds": seconds}
    return _json(request, 429, detail, Retry_After=str(seconds))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _json(request, 404, _("Not found (or not visible with this token)."))


@api.exception_handler(ValidationError)
def invalid(request, exc):
    fields = sorted({".".join(str(part) for part in error.get("loc", [])[1:]) or "?" for error in exc.errors})
    detail = _("Invalid parameters: %(fields)s.") % {"fields": ", ".join(fields)}
    response = api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)
    return response
