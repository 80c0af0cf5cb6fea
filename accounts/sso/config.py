"""Whether single sign-on is on, and where the provider's endpoints are.

Off unless ``OIDC_ISSUER``, ``OIDC_CLIENT_ID`` and ``OIDC_CLIENT_SECRET`` are all set, so the embedded run and the
tests need nothing. The endpoints come from the issuer's ``/.well-known/openid-configuration``, fetched on the first
SSO request and kept in the process for ``DISCOVERY_CACHE_SECONDS`` (a provider rotating its keys is followed: the
signing keys themselves are fetched at each log-in by mozilla-django-oidc).
"""

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings

DISCOVERY_CACHE_SECONDS = 3600


class ProviderUnavailable(Exception):
    """The discovery document could not be fetched or does not describe the configured issuer."""


@dataclass(frozen=True)
class ProviderEndpoints:
    issuer: str
    authorization: str
    token: str
    userinfo: str
    jwks: str
    end_session: str  # "" when the provider has no RP-initiated logout


_cache: dict[str, tuple[float, ProviderEndpoints]] = {}
_lock = threading.Lock()


def is_enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID and settings.OIDC_CLIENT_SECRET)


def provider_origin() -> str:
    """scheme://host[:port] of the issuer (its log-out page must be allowed as a form's redirect target)."""
    parts = urlsplit(settings.OIDC_ISSUER)
    return f"{parts.scheme}://{parts.netloc}"


def provider_endpoints() -> ProviderEndpoints:
    issuer = settings.OIDC_ISSUER.rstrip("/")
    with _lock:
        cached = _cache.get(issuer)
        if cached and time.monotonic() - cached[0] < DISCOVERY_CACHE_SECONDS:
            return cached[1]
    endpoints = _discover(issuer)
    with _lock:
        _cache[issuer] = (time.monotonic(), endpoints)
    return endpoints


def forget_endpoints() -> None:
    """Drop the cached discovery documents (tests switching providers; a provider that moved)."""
    with _lock:
        _cache.clear()


def _discover(issuer: str) -> ProviderEndpoints:
    try:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"discovery of {issuer} failed: {error}") from error
    # OpenID Connect Discovery 1.0 §4.3: the document must name the very issuer it was fetched for.
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(f"discovery of {issuer} names another issuer: {document.get('issuer')!r}")
    try:
        return ProviderEndpoints(
            issuer=document["issuer"],
            authorization=document["authorization_endpoint"],
            token=document["token_endpoint"],
            userinfo=document["userinfo_endpoint"],
            jwks=document["jwks_uri"],
            end_session=document.get("end_session_endpoint", ""),
        )
    except KeyError as missing:
        raise ProviderUnavailable(f"discovery of {issuer} lacks {missing}") from missing
