"""An antenna's status, derived from its milestone dates at a given day — never a stored flag.

lauréat → convention signée → antenne ouverte; an open antenna may be suspended; any antenna may be closed.
A milestone counts from its date on (a date in the future is not reached yet).
"""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class AntennaStatus(models.TextChoices):
    LAUREATE = "laureate", _("Laureate")
    CONVENTION_SIGNED = "convention_signed", _("Agreement signed")
    OPEN = "open", _("Antenna open")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


IN_PROGRESS = {AntennaStatus.LAUREATE, AntennaStatus.CONVENTION_SIGNED}
STOPPED = {AntennaStatus.SUSPENDED, AntennaStatus.CLOSED}


def _reached(value: date | None, day: date) -> bool:
    return value is not None and value <= day


def antenna_status(antenna, day: date) -> AntennaStatus:
    """The status of ``antenna`` (or None: a laureate with no antenna recorded yet) on ``day``."""
    if antenna is None:
        return AntennaStatus.LAUREATE
    if _reached(antenna.closed_on, day):
        return AntennaStatus.CLOSED
    if _reached(antenna.suspended_on, day):
        return AntennaStatus.SUSPENDED
    if _reached(antenna.opened_on, day):
        return AntennaStatus.OPEN
    if _reached(antenna.convention_signed_on, day):
        return AntennaStatus.CONVENTION_SIGNED
    return AntennaStatus.LAUREATE


def map_kind(status: AntennaStatus) -> str:
    """The map marker of a status (see maps.MARKER_STYLES)."""
    if status == AntennaStatus.OPEN:
        return "open"
    return "stopped" if status in STOPPED else "in_progress"
