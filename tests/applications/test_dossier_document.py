"""The whole dossier as a document: print view and PDF for whoever may read it, ZIP with attachments for staff;
a decision not yet published stays "under review" in it."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.domain.attachments import add_attachment
from applications.models import AttachmentKind, DossierTransition
from applications.states import DossierStatus
from tests.factories import DossierFactory, RegionFactory, UserFactory, WaveFactory, reviewer

from .submission_files import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    dossier = DossierFactory(title="Le Cnam à Nevers", territory_presentation="Ville de la Nièvre, 33 000 habitants")
    add_attachment(
        dossier=dossier,
        kind=AttachmentKind.COMMITMENT_LETTER,
        upload=upload(pdf_bytes(), "lettre du maire.pdf"),
        by=dossier.owner,
    )
    return dossier


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_pdf_has_every_section_the_attachments_with_fingerprints_and_the_status(client, dossier):
    client.force_login(dossier.owner)
    response = client.get(reverse("applications:dossier_pdf", kwargs={"pk": dossier.pk}))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert dossier.reference in text and "Le Cnam à Nevers" in text and "33 000 habitants" in text
    assert "1. Le territoire" in text and "8. " in text
    attachment = dossier.attachments.get()
    assert attachment.sha256[:16] in text.replace("\n", "")
    assert "Brouillon" in text


def test_print_view_shows_the_whole_dossier(client, dossier):
    client.force_login(dossier.owner)
    page = client.get(reverse("applications:dossier_print", kwargs={"pk": dossier.pk})).text
    assert "Le Cnam à Nevers" in page and "lettre du maire.pdf" in page
    assert dossier.attachments.get().sha256 in page


def test_a_stranger_gets_no_document(client, dossier):
    client.force_login(UserFactory())
    for name in ("applications:dossier_pdf", "applications:dossier_print", "applications:dossier_zip"):
        assert client.get(reverse(name, kwargs={"pk": dossier.pk})).status_code == 404


def test_undisclosed_decision_stays_under_review_in_the_officials_pdf(client):
    now = timezone.now()
    wave = WaveFactory(
        opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=30), publishes_at=now + timedelta(days=3)
    )
    dossier = DossierFactory(wave=wave, campaign=wave.campaign, status=DossierStatus.LAUREATE, decided_at=now)
    DossierTransition.objects.create(dossier=dossier, from_status="under_review", to_status="laureate", at=now)
    client.force_login(dossier.owner)
    text = _pdf_text(client.get(reverse("applications:dossier_pdf", kwargs={"pk": dossier.pk})).content)
    assert "En cours d'instruction" in text
    assert "Lauréat" not in text


def test_staff_bundle_has_the_pdf_and_every_attachment_under_its_clean_name(client, dossier):
    dossier.status = DossierStatus.SUBMITTED
    dossier.save()
    staff = reviewer(dossier.region)
    client.force_login(staff)
    response = client.get(reverse("applications:dossier_zip", kwargs={"pk": dossier.pk}))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert f"{dossier.reference}.pdf" in names
    [attachment_name] = [n for n in names if n.endswith("lettre du maire.pdf")]
    import hashlib

    assert hashlib.sha256(archive.read(attachment_name)).hexdigest() == dossier.attachments.get().sha256


def test_officials_get_no_zip_bundle(client, dossier):
    client.force_login(dossier.owner)
    assert client.get(reverse("applications:dossier_zip", kwargs={"pk": dossier.pk})).status_code == 403


def test_reviewer_of_another_region_gets_no_bundle(client, dossier):
    dossier.status = DossierStatus.SUBMITTED
    dossier.save()
    client.force_login(reviewer(RegionFactory()))
    assert client.get(reverse("applications:dossier_zip", kwargs={"pk": dossier.pk})).status_code == 404
