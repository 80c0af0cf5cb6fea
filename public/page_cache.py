"""The cache of public pages and open data: fast, and never early with an embargoed result.

A cached page is keyed on everything it is made of:

- the **publication state** (``PublicationState``: a version bumped after the commit of every change the public
  pages show — decisions, waves, campaigns, their documents and FAQ, antennas; see ``public/signals.py``), read
  first, so a page rendered from older data is stored under a version nobody asks for any more;
- the **language** and the **full path with its query string** (only the page's own filters: a page asked with
  any other parameter, such as the call page's eligibility search, is computed, not cached);
- and it **expires by itself at the next instant its content changes with time alone**: the next opening, deadline
  or publication of any wave, or midnight in Paris (antenna statuses are derived from the date). Time is derived,
  not flipped: a wave published at 10:00:00 shows at 10:00:00 even if Celery is down and even if the page was
  cached at 09:59:59. The entry carries that instant and is checked against the clock at every read (Redis' own
  expiry, in whole seconds, is only there to free memory).

Only anonymous visitors are served from the cache (no session cookie, no pending message): a logged-in person's
page holds their name and their links, and is never stored (``ami_portal.middleware``). The language switcher's
CSRF token is the one per-visitor part of a page: it is stored as a placeholder and each visitor gets their own.
A cache that is down (Redis) is a miss (``ami_portal.cache``): the page is computed as if nothing was cached.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Min, Q
from django.db.models.functions import Now
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)

_STATE_PK = 1
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"__csrf_token_of_this_visitor__"
# Headers of the view's response worth keeping; the middleware adds the others (language, CSP, security) each time.
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin")


# --- the publication state --------------------------------------------------------------------------------------


def publication_state() -> str:
    """The current version of what the public pages show (one indexed read, on every cached page: written in SQL,
    since building the ORM query cost as much as the rest of a cache hit)."""
    from .models import PublicationState

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version, changed_at FROM {connection.ops.quote_name(PublicationState._meta.db_table)} WHERE id = %s",
            [_STATE_PK],
        )
        row = cursor.fetchone()
    # The instant as the driver gives it (a datetime, or text on SQLite), digits only: part of cache keys.
    return f"{row[0]}.{re.sub(r'[^0-9]', '', str(row[1]))}" if row else "0"


def _bump_now() -> None:
    from .models import PublicationState

    try:
        if not PublicationState.objects.filter(pk=_STATE_PK).update(version=F("version") + 1, changed_at=Now()):
            PublicationState.objects.get_or_create(pk=_STATE_PK)
            PublicationState.objects.filter(pk=_STATE_PK).update(version=F("version") + 1, changed_at=Now())
    except DatabaseError:
        # The change itself is committed; cached pages catch up within PUBLIC_PAGE_CACHE_SECONDS at most.
        logger.exception("Could not record a change of the public pages.")


def publication_state_changed() -> None:
    """Call in the transaction of any change the public pages show: the version moves once it commits (no row lock
    held by the writer's transaction, so decisions and publications never wait for each other on it).

    A bulk change (a committee's decisions on a whole wave) moves it once: every change queues its callback (so that
    rolling back a savepoint never loses the bump of a change that stays), and the callbacks of one commit share a
    batch of which only the first to run bumps."""
    connection = transaction.get_connection()
    batch = getattr(connection, "_publication_bump_batch", None)
    if batch is None or batch["done"]:
        batch = connection._publication_bump_batch = {"done": False}

    def bump_once():
        if not batch["done"]:
            batch["done"] = True
            _bump_now()

    transaction.on_commit(bump_once, robust=True)


# --- when a page changes by itself -------------------------------------------------------------------------------


def next_paris_midnight(now: datetime) -> datetime:
    local = timezone.localtime(now)
    tomorrow = local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()), local.tzinfo)


def next_change_at(now: datetime) -> datetime:
    """The first instant after ``now`` at which a public page may change with no write at all: a wave opening,
    closing or being published, midnight in Paris, or the cache's longest life, whichever comes first."""
    from applications.models import Wave

    instants = Wave.objects.aggregate(
        opens=Min("opens_at", filter=Q(opens_at__gt=now)),
        closes=Min("closes_at", filter=Q(closes_at__gt=now)),
        publishes=Min("publishes_at", filter=Q(publishes_at__gt=now)),
    )
    candidates = [value for value in instants.values() if value is not None]
    candidates += [next_paris_midnight(now), now + timedelta(seconds=settings.PUBLIC_PAGE_CACHE_SECONDS)]
    return min(candidates)


# --- the cached response -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CachedPage:
    status: int
    content: bytes
    headers: dict
    expires_at: datetime
    per_visitor_token: bool

    def response_for(self, request, *, now: datetime) -> HttpResponse:
        content = self.content
        if self.per_visitor_token:
            content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        _set_browser_caching(response, until=self.expires_at, now=now, shared=not self.per_visitor_token)
        return response


def _set_browser_caching(response, *, until: datetime, now: datetime, shared: bool) -> None:
    """A browser (and, for a page with no per-visitor token, a shared cache) may keep the page a short while, never
    past the instant it changes by itself: no cache anywhere can show a result before its publication."""
    seconds = int(min((until - now).total_seconds(), settings.PUBLIC_PAGE_MAX_AGE))
    patch_cache_control(response, max_age=max(seconds, 0), **({"public": True} if shared else {"private": True}))
    # The language may come from the language cookie: a shared cache must not give one visitor's language to another.
    patch_vary_headers(response, ("Cookie",))


def _cacheable_request(request) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.headers.get("HX-Request")
    )


def _key(request, *, state: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"{settings.PUBLIC_PAGE_CACHE_PREFIX}:{state}:{translation.get_language()}:{path}"


def _materialise(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _store(request, response, *, key: str, now: datetime) -> HttpResponse:
    content = _materialise(response)
    placeholder, replaced = _CSRF_INPUT.subn(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", content)
    page = CachedPage(
        status=response.status_code,
        content=placeholder,
        headers={name: response[name] for name in _KEPT_HEADERS if response.has_header(name)},
        expires_at=next_change_at(now),
        per_visitor_token=bool(replaced),
    )
    if len(placeholder) <= settings.PUBLIC_PAGE_CACHE_MAX_BYTES:
        cache.set(key, page, timeout=max(1, int((page.expires_at - now).total_seconds())))
    # Served like a hit: the placeholder takes this visitor's token again (a fresh mask of the same secret).
    return page.response_for(request, now=now)


def cached_public_page(view=None, *, params: tuple[str, ...] = ()):
    """Serve ``view``'s successful answers to anonymous visitors from the cache, as described in this module.

    Only a query string made of ``params`` (the page's filters) is cached: any other (a search, a tracking tag) is
    answered uncached, so nobody can fill the cache with pages by inventing query strings."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request) or not set(request.GET) <= set(params):
                return view(request, *args, **kwargs)
            key = _key(request, state=publication_state())  # read before the page's data, never after
            now = timezone.now()
            page = cache.get(key)
            if isinstance(page, CachedPage) and now < page.expires_at:
                return page.response_for(request, now=now)
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            return _store(request, response, key=key, now=now)

        return wrapper

    return decorate(view) if view is not None else decorate
