"""When a request arrived: the instant a deadline is judged at.

At a deadline rush requests queue (in the proxy, in gunicorn's backlog, behind other requests of the worker) and
reach the view seconds after the official clicked. A submission sent before the deadline must count as sent before
the deadline, so deadline decisions use the request's arrival, not the moment the server got round to it:

- ``RequestArrivalMiddleware``, the very first middleware, stamps ``request.arrived_at`` with the server's clock
  as the request enters Django;
- when ``TRUST_PROXY_REQUEST_START`` is set (only behind our own front proxy, which must overwrite the header),
  the proxy's ``X-Request-Start: t=<epoch>`` (seconds as nginx's ``${msec}``, milliseconds or microseconds) is used
  instead, since it also counts the time spent queued before Django;
- an arrival is bounded: never later than the server's own clock, and one more than ``REQUEST_ARRIVAL_MAX_AGE``
  seconds (default 60) before the server's clock is not trusted at all: the server's own time is used instead, so a
  stalled or forged request cannot claim an old time.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

REQUEST_START_HEADER = "HTTP_X_REQUEST_START"
_REQUEST_START = re.compile(r"^\s*(?:t=)?(\d+(?:\.\d+)?)\s*$")


def bounded_arrival(arrived_at: datetime | None, *, now: datetime) -> datetime:
    """``arrived_at`` if it lies within REQUEST_ARRIVAL_MAX_AGE seconds before ``now``, else ``now`` itself."""
    if arrived_at is None or arrived_at > now:
        return now
    if now - arrived_at > timedelta(seconds=settings.REQUEST_ARRIVAL_MAX_AGE):
        logger.warning(
            "Arrival %s is more than %ss before %s: judged at the server's time instead.",
            arrived_at.isoformat(),
            settings.REQUEST_ARRIVAL_MAX_AGE,
            now.isoformat(),
        )
        return now
    return arrived_at


def parse_request_start(value: str) -> datetime | None:
    """The instant of an ``X-Request-Start`` value (``t=1700000000.123``, milliseconds or microseconds), or None."""
    match = _REQUEST_START.match(value or "")
    if not match:
        return None
    number = float(match.group(1))
    # Epoch seconds are ~1.7e9 today: larger values are milliseconds (~1.7e12) or microseconds (~1.7e15).
    for divisor in (1, 1_000, 1_000_000):
        if number / divisor < 1e11:
            try:
                return datetime.fromtimestamp(number / divisor, tz=UTC)
            except (OverflowError, OSError, ValueError):
                return None
    return None


def request_arrival(meta: dict, *, received_at: datetime) -> datetime:
    """The arrival of a request whose headers are ``meta``, received by Django at ``received_at`` (bounded)."""
    if not settings.TRUST_PROXY_REQUEST_START:
        return received_at
    return bounded_arrival(parse_request_start(meta.get(REQUEST_START_HEADER, "")), now=received_at)


class RequestArrivalMiddleware:
    """Stamp ``request.arrived_at`` before anything else runs; keep it first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.arrived_at = request_arrival(request.META, received_at=timezone.now())
        return self.get_response(request)
