"""The coverage map for coordinators (an admin page): the existing network and a wave's candidates, by région.

Candidates come from ``Dossier.objects.visible_to`` (through reviews.selectors), so regional staff see only their
régions' candidates; the network itself (antennas of decided laureates) is shown whole, as it is public knowledge
once published and staff need it to judge coverage.
"""

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Wave
from applications.states import DossierStatus
from network import maps
from network.coverage import dossier_coverage, reference_points
from network.models import Antenna
from network.selectors import active_centres
from network.status import map_kind

CANDIDATE_STATUSES = (DossierStatus.SUBMITTED, DossierStatus.UNDER_REVIEW, DossierStatus.POSTPONED)


def coverage(request, *, admin_site):
    from reviews.selectors import dossiers_for_staff

    today = timezone.localdate()
    visible = dossiers_for_staff(request.user)
    waves = Wave.objects.filter(pk__in=visible.values("wave_id")).select_related("campaign").order_by("-closes_at")
    wave = waves.filter(pk=request.GET.get("wave")).first() if request.GET.get("wave", "").isdigit() else waves.first()
    region = request.GET.get("region", "")
    candidates = visible.filter(wave=wave, status__in=CANDIDATE_STATUSES) if wave else visible.none()
    if region:
        candidates = candidates.filter(region__code=region)
    candidates = list(candidates.select_related("commune__departement", "epci"))
    antennas = Antenna.objects.select_related("dossier__commune__departement", "dossier__region", "dossier__epci")
    if region:
        antennas = antennas.filter(dossier__region__code=region)
    markers, network_rows = [], []
    for antenna in antennas:
        status = antenna.status_on(today)
        network_rows.append((antenna, status))
        if antenna.dossier.commune_id:
            marker = maps.commune_marker(
                antenna.dossier.commune, label=f"{antenna} — {status.label}", kind=map_kind(status)
            )
            markers += [marker] if marker else []
    for centre in active_centres():
        where = centre.coordinates
        spot = maps.place(
            departement_code=centre.commune.departement.code,
            lat=where[0] if where else None,
            lon=where[1] if where else None,
        )
        markers += [maps.Marker(*spot, label=centre.name, kind="centre")] if spot else []
    candidate_rows, reference = [], reference_points(today=today)
    for dossier in candidates:
        candidate_rows.append((dossier, dossier_coverage(dossier, today=today, reference=reference)))
        if dossier.commune_id:
            marker = maps.commune_marker(
                dossier.commune, label=f"{dossier.applicant_name} ({dossier.reference})", kind="candidate"
            )
            markers += [marker] if marker else []
    from cities.models import Region

    context = {
        **admin_site.each_context(request),
        "title": _("Coverage of the territory"),
        "opts": Antenna._meta,
        "waves": waves,
        "wave": wave,
        "regions": Region.objects.filter(code__in=visible.values("region__code")),
        "region": region,
        "network_rows": network_rows,
        "candidate_rows": candidate_rows,
        "france_map": maps.france_map(markers, title=_("Map of the network and of the wave's candidates")),
    }
    return TemplateResponse(request, "network/admin/coverage.html", context)
