"""The deadline banner of dossier pages: shown to the dossier's editors while it is a draft and its wave closes
within ``settings.DEADLINE_BANNER_DAYS``."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone

from applications.queries.home import Deadline
from applications.rules import is_dossier_editor
from applications.states import EDITABLE_STATUSES

register = template.Library()


def near_deadline(dossier, *, now) -> Deadline | None:
    """The deadline of the wave a draft dossier aims for, if it is open and closes soon; else None."""
    if dossier is None or getattr(dossier, "status", None) not in EDITABLE_STATUSES or not dossier.campaign_id:
        return None
    wave = dossier.campaign.target_wave_at(now)
    if wave is None or not wave.is_open_at(now):
        return None
    deadline = Deadline(wave, now)
    return deadline if deadline.remaining <= timedelta(days=settings.DEADLINE_BANNER_DAYS) else None


@register.inclusion_tag("applications/_deadline_banner.html", takes_context=True)
def deadline_banner(context, dossier):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or dossier is None or not getattr(dossier, "pk", None):
        return {"deadline": None}
    # The deadline first: a submitted dossier (most pages) or a far deadline needs no question about the editors.
    deadline = near_deadline(dossier, now=timezone.now())
    return {"deadline": deadline if deadline and is_dossier_editor(user, dossier) else None}
