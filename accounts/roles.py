"""Staff roles are Django groups (created with their permissions by a migration in the reviews app)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGIONAL_REVIEWER = "Regional reviewer", _("Regional reviewer")
    COORDINATOR = "National coordinator", _("National coordinator")
    COMMITTEE = "Committee member", _("Committee member")
    PRESS = "Press", _("Press")
    ADMINISTRATOR = "Administrator", _("Administrator")


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=role).exists()
