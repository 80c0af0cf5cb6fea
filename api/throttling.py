"""Rate limits of the API, read from settings.API_RATE_LIMITS at each request (so tests and operators can change
them without restarting), counted in the Django cache (Redis when configured)."""

from django.conf import settings
from ninja.throttling import SimpleRateThrottle


class _SettingsRateThrottle(SimpleRateThrottle):
    def __init__(self):  # the rate is read per request, in allow_request
        self.rate = None

    def allow_request(self, request) -> bool:
        self.rate = settings.API_RATE_LIMITS[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class AnonymousRateThrottle(_SettingsRateThrottle):
    """Requests without a token, per client address."""

    scope = "anonymous"

    def get_cache_key(self, request):
        if getattr(request, "auth", None) is not None:
            return None
        return self.cache_format % {"scope": f"api_{self.scope}", "ident": self.get_ident(request)}


class TokenRateThrottle(_SettingsRateThrottle):
    """Requests with a token, per token."""

    scope = "token"

    def get_cache_key(self, request):
        token = getattr(request, "auth", None)
        if token is None:
            return None
        # The token's hash (not its row id) names the counter: unique even across databases sharing one cache.
        return self.cache_format % {"scope": f"api_{self.scope}", "ident": token.key_hash[:32]}
