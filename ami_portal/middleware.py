"""Responses that may carry personal data are never stored by a browser or a shared cache.

``PrivateResponsesMiddleware`` is the one place that sends ``Cache-Control: private, no-store``: on every response
to a logged-in user (whatever the page: their name is in the header, their dossiers in the body), and on every
response under the private areas (admin, dossiers and receipts, account pages, press area) even when anonymous
(log-in forms carry a CSRF token). Public pages served to anonymous visitors keep their own caching, and static
files never get here (WhiteNoise answers them earlier in the chain).
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

PRIVATE_PREFIXES = ("/admin/", "/dossiers/", "/compte/", "/presse/", "/api/v1/staff/")


def is_private_response(request) -> bool:
    """Whether the response to ``request`` may hold personal data. Reads the session only if a cookie exists,
    so anonymous public pages are not made to vary on the cookie."""
    if request.path.startswith(PRIVATE_PREFIXES):
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivateResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private_response(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
