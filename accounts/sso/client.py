"""mozilla-django-oidc's authorization-code exchange, with the endpoints of the discovery document and two checks
it leaves out (OpenID Connect Core §3.1.3.7): the ID token's ``iss`` is the issuer and its ``aud`` holds our client.

It is deliberately NOT listed in AUTHENTICATION_BACKENDS: only the SSO callback calls it (with the state's nonce
and PKCE verifier), so no password form can reach the provider, and a refused SSO attempt is not counted as a
wrong password by the log-in throttling. The signature (keys from the provider's JWKS), expiry and nonce are
checked by the library.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .config import provider_endpoints
from .mapping import Refusal, SsoRefused, sign_in_staff


class SsoTokenClient(OIDCAuthenticationBackend):
    def __init__(self, *, is_locked_out=lambda address: False):
        # The library reads its endpoints from settings at construction; ours come from the discovery document.
        self.endpoints = provider_endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = self.endpoints.token
        self.OIDC_OP_USER_ENDPOINT = self.endpoints.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = self.endpoints.jwks
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()
        self.is_locked_out = is_locked_out

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != self.endpoints.issuer or settings.OIDC_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token issued by another issuer or for another client.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        # Core §5.3.2: the userinfo must be about the ID token's subject.
        if claims.get("sub") != payload.get("sub"):
            raise SsoRefused(Refusal.TOKEN_REJECTED)
        return sign_in_staff(claims=claims, issuer=self.endpoints.issuer, is_locked_out=self.is_locked_out)
