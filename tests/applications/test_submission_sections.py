"""Submission with the real completeness rules of the dossier sections (no stand-in), and sections in the snapshot."""

from decimal import Decimal

import pytest
from django.db import models

from applications.domain.sections import SECTIONS
from applications.domain.submission import SubmissionRefused, submission_checklist, submit_dossier
from applications.models import DossierPartner, PartnerKind

from .submission_support import dossier_with_attachments

pytestmark = pytest.mark.django_db


def value_for(field: models.Field):
    if isinstance(field, models.EmailField):
        return "chef.projet@ville.fr"
    if isinstance(field, models.DecimalField):
        return Decimal("125000.00")
    if isinstance(field, models.IntegerField):
        return 40
    return "Texte saisi par la ville"


def fill_every_section(dossier):
    for spec in SECTIONS:
        for name in spec.required:
            setattr(dossier, name, value_for(dossier._meta.get_field(name)))
    dossier.save()
    DossierPartner.objects.create(
        dossier=dossier, name="Industries du Val", kind=PartnerKind.COMPANY, commitment="Accueillir des alternants"
    )


def test_empty_sections_are_listed_in_the_checklist_with_their_links():
    dossier = dossier_with_attachments(title="")

    items = submission_checklist(dossier)

    assert {item.section for item in items} >= {spec.key for spec in SECTIONS}
    assert all(item.url for item in items)


def test_dossier_with_empty_sections_is_refused():
    dossier = dossier_with_attachments()

    with pytest.raises(SubmissionRefused):
        submit_dossier(dossier, by=dossier.owner)


def test_dossier_with_every_section_and_attachment_is_submitted_with_its_partners_in_the_snapshot():
    dossier = dossier_with_attachments()
    fill_every_section(dossier)

    submission = submit_dossier(dossier, by=dossier.owner)

    assert submission_checklist(dossier) == []
    assert submission.snapshot["sections"]["partners"][0]["name"] == "Industries du Val"
    assert submission.snapshot["dossier"]["budget_total"] == "125000.00"
    assert set(submission.snapshot["sections"]) == {"partners"}
