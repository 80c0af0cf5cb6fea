"""Demo data for the public pages: make sure some wave is published with laureates. Idempotent.

If the other demo steps already produced published laureates, nothing is added. Otherwise a clearly
fictitious historical campaign gets a published wave whose laureates are the most populous loaded communes
(imported through the same service as real historical results).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from applications.models import Campaign, Wave
from cities.models import Commune
from public import selectors
from public.imports import LaureateLine, import_laureates

DEMO_SLUG = "demo-resultats"
DEMO_LAUREATES = 12


@transaction.atomic
def seed(*, stdout) -> None:
    now = timezone.now()
    if selectors.published_laureates(now=now).exclude(campaign__slug=DEMO_SLUG).exists():
        stdout.write("Public results: published laureates already present.")
        return
    communes = list(
        Commune.objects.filter(latitude__isnull=False).order_by("-population", "insee_code")[:DEMO_LAUREATES]
    )
    if not communes:
        stdout.write("Public results: no commune loaded (run load_territories), no demo laureates.")
        return
    campaign, _ = Campaign.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "Campagne de démonstration — résultats publiés",
            "is_historical": True,
            "description": "Résultats fictifs, pour montrer les pages publiques et les exports.",
        },
    )
    published = now.replace(microsecond=0) - timedelta(days=30)
    wave, _ = Wave.objects.get_or_create(
        campaign=campaign,
        number=1,
        defaults={
            "opens_at": published - timedelta(days=120),
            "closes_at": published - timedelta(days=60),
            "publishes_at": published,
        },
    )
    lines = [
        LaureateLine(
            line=i,
            insee_code=c.insee_code,
            title=f"Antenne du Cnam à {c.name} (exemple)",
            summary="Projet fictif de démonstration : formations qualifiantes au cœur de la ville.",
        )
        for i, c in enumerate(communes, start=2)
    ]
    created = import_laureates(campaign=campaign, wave=wave, lines=lines)
    stdout.write(f"Public results: {created} demo laureate(s) in “{campaign.name}” (/resultats/{DEMO_SLUG}/).")
