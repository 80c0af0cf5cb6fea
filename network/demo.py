"""Demo data for the network: antennas at different stages on the published laureates, and a few Cnam centres.
Idempotent: an antenna that already has milestones is left as it is."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cities.models import Commune
from public.selectors import published_laureates

from . import services
from .models import AntennaLogAction, CnamCentre

# Cnam regional centres (commune INSEE code, name, latitude, longitude of the city centre).
CENTRES = [
    ("75056", "Cnam Paris — siège", 48.8667, 2.3550),
    ("69123", "Cnam Auvergne-Rhône-Alpes (Lyon)", 45.7578, 4.8320),
    ("13055", "Cnam Provence-Alpes-Côte d'Azur (Marseille)", 43.2965, 5.3698),
    ("31555", "Cnam Occitanie (Toulouse)", 43.6045, 1.4440),
    ("33063", "Cnam Nouvelle-Aquitaine (Bordeaux)", 44.8378, -0.5792),
    ("44109", "Cnam Pays de la Loire (Nantes)", 47.2184, -1.5536),
    ("59350", "Cnam Hauts-de-France (Lille)", 50.6292, 3.0573),
    ("67482", "Cnam Grand Est (Strasbourg)", 48.5734, 7.7521),
    ("35238", "Cnam Bretagne (Rennes)", 48.1173, -1.6778),
]


@transaction.atomic
def seed(*, stdout) -> None:
    communes = Commune.objects.in_bulk([code for code, *_rest in CENTRES], field_name="insee_code")
    for code, name, lat, lon in CENTRES:
        if code in communes:
            CnamCentre.objects.get_or_create(
                name=name, defaults={"commune": communes[code], "latitude": lat, "longitude": lon}
            )
    services.ensure_antennas()
    today = timezone.localdate()
    staged = 0
    for index, dossier in enumerate(published_laureates(now=timezone.now()).select_related("antenna")[:9]):
        antenna = services.antenna_for_laureate(dossier=dossier)
        if antenna.convention_signed_on is not None or index % 3 == 2:
            continue  # already staged, or left as a plain laureate
        antenna.convention_signed_on = today - timedelta(days=400 - index * 20)
        antenna.opening_planned_on = antenna.convention_signed_on + timedelta(days=120)
        if index % 3 == 0:
            antenna.opened_on = antenna.opening_planned_on + timedelta(days=7)
            antenna.training_paths = "Titre professionnel — Gestionnaire de paie\nLicence professionnelle — Industrie"
        else:
            antenna.opening_planned_on = today + timedelta(days=60 + index)
        antenna.address = antenna.address or f"Médiathèque, centre-ville de {dossier.applicant_name}"
        services.antenna_update_milestones(antenna=antenna, by=None, action=AntennaLogAction.MILESTONES)
        staged += 1
    stdout.write(f"Network: {CnamCentre.objects.count()} Cnam centre(s), {staged} demo antenna(s) staged (/reseau/).")
