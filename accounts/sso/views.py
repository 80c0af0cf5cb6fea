"""Single sign-on pages: the redirect to the provider, the callback, the French refusal page, and the log-out URL
at the provider. Every failure of the flow (state unknown or replayed, code expired or replayed, nonce or token
mismatch, an error sent back by the provider, a provider out of reach) and every refusal ends on
``accounts/sso_error.html`` with a link to try again, never on a bare 400 or a 500."""

import logging
from urllib.parse import urlencode

import jwt
import requests
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import auth
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from ..services import landing_url_for
from .client import SsoTokenClient
from .config import ProviderUnavailable, is_enabled, provider_endpoints
from .mapping import Refusal, SsoRefused

logger = logging.getLogger(__name__)

# The portal session of an SSO log-in keeps its ID token: the provider's log-out needs it as id_token_hint.
ID_TOKEN_SESSION_KEY = "oidc_id_token"
# Accounts logged in through SSO are loaded by the portal's own backend on later requests (by primary key).
SESSION_BACKEND = "accounts.backends.EmailBackend"

REFUSAL_STATUS = {
    Refusal.LOCKED_OUT: 429,
    Refusal.EXPIRED: 400,
    Refusal.PROVIDER_ERROR: 400,
    Refusal.TOKEN_REJECTED: 400,
    Refusal.UNREACHABLE: 502,
}


def _require_enabled():
    if not is_enabled():
        raise Http404("Single sign-on is not configured.")


def render_refusal(request, reason: Refusal):
    request.session.pop(ID_TOKEN_SESSION_KEY, None)
    return render(request, "accounts/sso_error.html", {"reason": reason}, status=REFUSAL_STATUS.get(reason, 403))


@method_decorator(never_cache, name="dispatch")
class SsoLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with a fresh state, nonce and PKCE challenge (kept in the session)."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library reads its endpoints at construction; ours are discovered

    def get(self, request):
        _require_enabled()
        if request.user.is_authenticated:
            return redirect(landing_url_for(request.user))
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_endpoints().authorization
        except ProviderUnavailable:
            logger.exception("SSO: the provider's discovery document could not be read")
            return render_refusal(request, Refusal.UNREACHABLE)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_CLIENT_ID")
        return super().get(request)

    def get_extra_params(self, request):
        # "Use another Cnam account" (from the refusal page): the provider asks for credentials again.
        return {"prompt": "login"} if request.GET.get("compte") == "autre" else {}


@method_decorator(never_cache, name="dispatch")
class SsoCallbackView(View):
    http_method_names = ["get"]

    def get(self, request):
        _require_enabled()
        try:
            user = self._authenticated_user(request)
        except SsoRefused as refusal:
            logger.info("SSO: log-in refused (%s)", refusal.reason)
            return render_refusal(request, refusal.reason)
        next_url = request.session.pop("oidc_login_next", None)
        auth.login(request, user, backend=SESSION_BACKEND)
        return redirect(next_url or landing_url_for(user))

    def _authenticated_user(self, request):
        # The state is consumed whatever happens next: a callback URL works once (no replay).
        states = request.session.get("oidc_states") or {}
        pending = states.pop(request.GET.get("state", ""), None)
        request.session["oidc_states"] = states
        request.session.save()
        if request.GET.get("error"):
            raise SsoRefused(Refusal.PROVIDER_ERROR)
        if pending is None or not request.GET.get("code"):
            raise SsoRefused(Refusal.EXPIRED)
        try:
            client = SsoTokenClient(is_locked_out=lambda address: _is_locked_out(request, address))
            # RFC 9207: a provider that names itself in the response must be ours (mix-up attack defence).
            if request.GET.get("iss", client.endpoints.issuer) != client.endpoints.issuer:
                raise SuspiciousOperation("Authorization response from another issuer.")
            user = client.authenticate(request, nonce=pending["nonce"], code_verifier=pending.get("code_verifier"))
        except IntegrityError as error:  # the same first log-in finished meanwhile in another tab: start again
            logger.warning("SSO: concurrent first log-in: %s", error)
            raise SsoRefused(Refusal.EXPIRED) from error
        except requests.HTTPError as error:  # the token endpoint refused the code: expired, replayed, or forged
            logger.warning("SSO: the provider refused the code exchange: %s", error)
            raise SsoRefused(Refusal.TOKEN_REJECTED) from error
        except (SuspiciousOperation, jwt.InvalidTokenError, KeyError, ValueError) as error:
            logger.warning("SSO: the provider's tokens failed their checks: %s", error)
            raise SsoRefused(Refusal.TOKEN_REJECTED) from error
        except (requests.RequestException, ProviderUnavailable) as error:
            logger.warning("SSO: the provider could not be reached: %s", error)
            raise SsoRefused(Refusal.UNREACHABLE) from error
        if user is None:
            raise SsoRefused(Refusal.TOKEN_REJECTED)
        return user


def _is_locked_out(request, address: str) -> bool:
    """The log-in throttling's own answer for this address and client (accounts/README.md, lock-out policy)."""
    return not AxesProxyHandler.is_allowed(request, {"username": address})


def provider_logout_url(request) -> str | None:
    """Where to send a browser leaving a portal session opened through SSO, so that the provider's session ends too
    (RP-initiated logout: id_token_hint, post_logout_redirect_uri). Read it before ``auth.logout`` (which flushes the
    session); None for a password session, with SSO off, or when the provider cannot say where its log-out is."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not id_token or not is_enabled():
        return None
    try:
        end_session = provider_endpoints().end_session
    except ProviderUnavailable:
        logger.warning("SSO: provider unreachable at log-out; the portal session alone is closed")
        return None
    if not end_session:
        return None
    query = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("home")),
        "client_id": settings.OIDC_CLIENT_ID,
    }
    return f"{end_session}?{urlencode(query)}"
