"""The receipt states the reference, applicant, wave, exact time (Paris, to the second) and fingerprint."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from applications.domain.receipts import render_receipt_pdf
from applications.domain.submission import submit_dossier
from tests.factories import DossierFactory

from .submission_support import paris, waves

pytestmark = [pytest.mark.django_db]

CLOSES = paris(2021, 3, 29)


@pytest.fixture
def submission():
    first, _second = waves(CLOSES, CLOSES + timedelta(days=90))
    dossier = DossierFactory(complete=True, wave=first)
    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        return submit_dossier(dossier, by=dossier.owner)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_receipt_pdf_parses_and_states_reference_wave_and_fingerprint(submission):
    with translation.override("fr"):
        text = pdf_text(render_receipt_pdf(submission))

    assert submission.dossier.reference in text
    assert "Vague 1" in text
    assert submission.fingerprint in text


def test_receipt_pdf_states_the_exact_paris_time_to_the_second(submission):
    with translation.override("fr"):
        text = pdf_text(render_receipt_pdf(submission))

    assert "28 mars 2021 à 23:59:59" in text


def test_receipt_pdf_lists_the_attachment_checksums(submission):
    text = pdf_text(render_receipt_pdf(submission))

    for sha256 in submission.dossier.attachments.values_list("sha256", flat=True):
        assert sha256 in text


def test_receipt_page_shows_the_facts(client, submission):
    client.force_login(submission.dossier.owner)

    page = client.get(
        reverse("applications:receipt", kwargs={"pk": submission.dossier_id, "submission_pk": submission.pk})
    ).content.decode()

    assert submission.fingerprint in page
    assert "dimanche 28 mars 2021 à 23:59:59" in page
    assert submission.dossier.applicant_name in page


def test_receipt_pdf_download_is_an_attachment(client, submission):
    client.force_login(submission.dossier.owner)

    response = client.get(
        reverse("applications:receipt_pdf", kwargs={"pk": submission.dossier_id, "submission_pk": submission.pk})
    )

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert submission.fingerprint in pdf_text(response.content)


def test_receipt_is_still_available_after_a_withdrawal(client, submission):
    from applications.domain.submission import withdraw_submission

    dossier = submission.dossier
    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        withdraw_submission(dossier, by=dossier.owner, reason="Correction")
    client.force_login(dossier.owner)

    response = client.get(reverse("applications:receipt", kwargs={"pk": dossier.pk, "submission_pk": submission.pk}))

    assert response.status_code == 200
    assert submission.fingerprint in response.content.decode()  # the receipt itself, not a page saying it is gone


def test_receipt_email_is_sent_after_commit_with_the_pdf(django_capture_on_commit_callbacks, mailoutbox):
    (wave,) = waves(CLOSES)
    dossier = DossierFactory(complete=True, wave=wave)

    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            submission = submit_dossier(dossier, by=dossier.owner)

    (mail,) = mailoutbox
    assert mail.to == [dossier.owner.email]
    assert dossier.reference in mail.subject
    assert "28 mars 2021 à 23:59:59" in mail.body
    (filename, content, mimetype) = mail.attachments[0]
    assert mimetype == "application/pdf"
    assert submission.fingerprint in pdf_text(content)
