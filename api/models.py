"""Personal API tokens of Cnam staff. Only a hash of each token is kept: the token itself is shown once."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiToken(models.Model):
    """A bearer token of one staff member for the staff API (api/staff.py). Usable while neither revoked nor
    expired: derived from ``revoked_at`` and ``expires_at`` at request time, never a stored flag."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. « tableau régional »."))
    # The first characters of the token, to tell tokens apart in a list; they do not allow guessing the rest.
    key_prefix = models.CharField(_("beginning of the token"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    def state_at(self, when: datetime) -> str:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        return TokenState.ACTIVE if when < self.expires_at else TokenState.EXPIRED

    def is_usable_at(self, when: datetime) -> bool:
        return self.state_at(when) == TokenState.ACTIVE

    def get_state_display_at(self, when: datetime) -> str:
        return TokenState(self.state_at(when)).label
