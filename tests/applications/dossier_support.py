"""Data helpers for the dossier (sections, co-editors, home page) tests."""

from decimal import Decimal

from applications.domain.sections import SECTIONS
from applications.models import DossierPartner

VALUES = {"expected_learners_per_year": 12, "budget_total": Decimal("1000"), "lead_email": "chef@ville.fr"}


def fill_sections(dossier, *, partners: bool = True):
    """Fill every required field of every section (and add a partner)."""
    for spec in SECTIONS:
        for name in spec.required:
            setattr(dossier, name, VALUES.get(name, "Texte"))
    dossier.save()
    if partners:
        DossierPartner.objects.create(dossier=dossier, name="Usine", kind="company", commitment="Stages")
    return dossier
