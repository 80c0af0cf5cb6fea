"""Demo dossiers for `seed_demo`: a half-filled draft and a draft whose sections are complete.

Uses the services (creation, section saving, mandate verification) so the demo data carries references,
attributions and the holder log like real data. The complete draft's holder has a verified mandate (so the demo
official can submit it); the half-filled one still awaits verification (it shows in the reviewers' list of
mandates to verify). Idempotent: a territory that already has a dossier in the demo campaign is left as it is.
"""

from decimal import Decimal

from django.db import transaction

from applications.domain import dossiers, holders
from applications.models import Campaign, DossierPartner

HALF = {
    "territory": {
        "territory_presentation": "Ville moyenne de 25 000 habitants, centre d'un bassin industriel.",
        "employment_basin": "Bassin de 80 000 actifs, tourné vers la mécanique et l'agroalimentaire.",
    },
    "skills": {"skills_in_shortage": "Maintenance industrielle, soudure, automatisme."},
}

COMPLETE = {
    **HALF,
    "skills": {
        "skills_in_shortage": "Maintenance industrielle, soudure, automatisme.",
        "industries": "Mécanique de précision, agroalimentaire, logistique.",
    },
    "training": {
        "training_courses": "Licence professionnelle maintenance des systèmes ; titre RNCP technicien supérieur.",
        "training_levels": "bac+2 à bac+3",
        "expected_learners_per_year": 40,
    },
    "premises": {
        "premises_address": "2 place de la Mairie",
        "premises_area_m2": 250,
        "premises_description": "Trois salles équipées au rez-de-chaussée de la médiathèque, accessibles.",
    },
    "budget": {
        "budget_total": Decimal("180000"),
        "cofinancing_territory": Decimal("60000"),
        "cofinancing_region": Decimal("40000"),
    },
    "lead": {"lead_name": "Camille Durand", "lead_email": "camille.durand@example.fr", "lead_phone": "01 23 45 67 89"},
    "summary": {
        "title": "Une antenne du Cnam au cœur de la ville",
        "public_summary": "Former sur place aux métiers de l'industrie du bassin d'emploi, avec les entreprises.",
    },
}


def _officials(officials: dict) -> list:
    users = officials.values() if isinstance(officials, dict) else officials
    found = []
    for user in users:
        profile = getattr(user, "official_profile", None) if hasattr(user, "pk") else None
        if profile is not None and (profile.commune_id or profile.epci_id):
            found.append(user)
    return found


def _fill(dossier, content: dict, *, by) -> None:
    for section, data in content.items():
        dossiers.save_section(dossier=dossier, section=section, data=data, by=by)


@transaction.atomic
def _seed_one(campaign, user, content, *, partner: bool, verifier, stdout) -> None:
    profile = user.official_profile
    territory = {"commune": profile.commune} if profile.commune_id else {"epci": profile.epci}
    try:
        dossier = dossiers.create_dossier(campaign=campaign, by=user, **territory)
    except dossiers.DossierAlreadyExists as held:
        stdout.write(f"  dossier {held.dossier.reference} already exists for {held.dossier.applicant_name}")
        return
    _fill(dossier, content, by=user)
    if partner:
        DossierPartner.objects.create(
            dossier=dossier,
            name="Mécanique Durand SA",
            kind="company",
            commitment="Accueil de 10 alternants par an et prêt d'un atelier.",
            contact="rh@durand.example",
        )
    if verifier is not None:
        holders.verify_mandate(
            dossier=dossier, by=verifier, basis="Lettre d'engagement signée par le maire (démonstration)."
        )
    stdout.write(f"  dossier {dossier.reference} ({dossier.applicant_name}) for {user.email}")


def seed_dossiers(*, officials: dict, stdout) -> None:
    """Draft dossiers in the demo campaign: half-filled for the first official, complete (holder's mandate
    verified by the demo coordinator, when there is one) for the second."""
    campaign = Campaign.objects.filter(slug="demo").first()
    if campaign is None:
        stdout.write("No demo campaign: no demo dossier.")
        return
    coordinator = officials.get("coordinator") if isinstance(officials, dict) else None
    plans = [(HALF, False, None), (COMPLETE, True, coordinator)]
    for user, (content, partner, verifier) in zip(_officials(officials), plans, strict=False):
        _seed_one(campaign, user, content, partner=partner, verifier=verifier, stdout=stdout)
