"""Bearer authentication of the staff API: a personal token (api.tokens), then the staff-API rule (api.rules)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from .rules import may_use_staff_api
from .tokens import usable_token


class StaffApiRefused(AuthorizationError):
    """A valid token whose holder may not read dossiers (an official, the press, a former staff member)."""

    def __init__(self):
        super().__init__(message=str(_("This token does not give access to the staff API: it is for Cnam staff.")))


class StaffToken(HttpBearer):
    """``Authorization: Bearer ami_…``. Unknown, revoked or expired token: None (401); a token of someone who may
    not use the staff API: 403. The token's holder becomes ``request.user`` for the selectors."""

    openapi_description = "Jeton personnel créé dans « Mon profil › Jetons d'API » (agents du Cnam seulement)."

    def authenticate(self, request, token):
        found = usable_token(token, now=timezone.now())
        if found is None:
            return None
        if not may_use_staff_api(found.user):
            raise StaffApiRefused()
        request.user = found.user
        return found
