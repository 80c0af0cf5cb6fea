"""Sessions expire after ``SESSION_COOKIE_AGE`` of inactivity, without a database write on every page view.

Django's ``SESSION_SAVE_EVERY_REQUEST`` slides the expiry by saving the session row on every request: three round
trips (BEGIN, UPDATE, COMMIT) on every page a logged-in person opens. ``SlidingSessionMiddleware`` saves it only
when it was last saved ``SESSION_REFRESH_INTERVAL`` seconds ago or more, so the inactivity timeout holds to within
that interval (8 hours, give or take 5 minutes, by default) for a write every few minutes instead of every click.
"""

import time

from django.conf import settings

# When the session row was last saved (epoch seconds), kept in the session itself.
LAST_SAVED_KEY = "_saved_at"


def needs_refresh(session, *, now: float) -> bool:
    """Whether the session's expiry must slide now (it was saved long enough ago, or never by this rule)."""
    saved_at = session.get(LAST_SAVED_KEY)
    return saved_at is None or now - saved_at >= settings.SESSION_REFRESH_INTERVAL


def stamp_session_at_log_in(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: a log-in saves the session (new key, new expiry), so it counts as saved now."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_SAVED_KEY] = int(time.time())


class SlidingSessionMiddleware:
    """After ``SessionMiddleware`` in MIDDLEWARE (so it answers first): marks a logged-in session modified when its
    expiry must slide; ``SessionMiddleware`` then saves it with a new expiry. Anonymous visitors are left alone:
    their public pages must not read the session (it would add ``Vary: Cookie``) nor create one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME not in request.COOKIES and not request.session.modified:
            return response  # no session yet, none being created: nothing to slide
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        now = time.time()
        if request.session.modified or needs_refresh(request.session, now=now):
            request.session[LAST_SAVED_KEY] = int(now)
        return response
