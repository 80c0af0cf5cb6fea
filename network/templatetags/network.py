"""Small includes other apps use: a laureate's antenna (public city page), an official's antennas (home page),
the coverage panel (dossier admin)."""

from django import template
from django.utils import timezone

from applications.states import DossierStatus

from ..coverage import dossier_coverage
from ..selectors import antenna_of, antennas_of_dossiers
from ..status import antenna_status

register = template.Library()


@register.inclusion_tag("network/_antenna_status.html")
def antenna_panel(dossier):
    antenna = antenna_of(dossier)
    return {"antenna": antenna, "status": antenna_status(antenna, timezone.localdate())}


@register.inclusion_tag("network/_my_antennas.html")
def my_antennas(dossiers):
    """The antennas of an official's dossiers (those they own or co-edit, loaded by the home page)."""
    return {"antennas": antennas_of_dossiers(dossiers)}


@register.inclusion_tag("network/admin/_coverage_panel.html")
def coverage_panel(dossier):
    return {"coverage": dossier_coverage(dossier, today=timezone.localdate()), "dossier": dossier}


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def add_float(value, delta):
    """``value + delta`` written with a dot whatever the language (SVG attributes are not localised)."""
    return format(round(float(value) + float(delta), 1), "g")


@register.inclusion_tag("network/_dossier_antenna_link.html")
def dossier_antenna_link(dossier, user):
    """On a laureate's dossier page, the link to its antenna's page for the city's officials."""
    antenna = antenna_of(dossier) if dossier.status == DossierStatus.LAUREATE else None
    show = antenna is not None and user.has_perm("network.report_figures", antenna)
    return {"antenna": antenna if show else None}
