"""The submission pages: checklist, confirmation naming the wave, one submission per intention, read-only after,
withdrawal, and 404 for anyone who may not see the dossier."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from applications.models import AttachmentKind, Submission
from applications.states import DossierStatus
from tests.factories import DossierFactory, WaveFactory, official, reviewer

from . import submission_files as files
from .submission_support import add_co_editor, attach, paris, waves

pytestmark = [pytest.mark.django_db]

# The last day of the first wave is 31 October 2021, the night the clocks go back.
CLOSES = paris(2021, 11, 1)


@pytest.fixture
def two_waves():
    return waves(CLOSES, CLOSES + timedelta(days=90))


@pytest.fixture
def dossier(two_waves):
    return DossierFactory(complete=True, wave=two_waves[0])


@pytest.fixture
def owner_client(client, dossier):
    client.force_login(dossier.owner)
    return client


def submit_url(dossier):
    return reverse("applications:submit", kwargs={"pk": dossier.pk})


def confirm(client, dossier, wave, token=None):
    return client.post(submit_url(dossier), {"wave": wave.pk, "token": token or uuid.uuid4()})


def test_incomplete_dossier_shows_the_checklist_with_links(owner_client, dossier):
    dossier.attachments.filter(kind=AttachmentKind.BUDGET_TABLE).delete()

    response = owner_client.get(submit_url(dossier))

    attachments_url = reverse("applications:attachments", kwargs={"pk": dossier.pk})
    assert f'href="{attachments_url}"' in response.content.decode()
    assert "Tableau budgétaire" in response.content.decode()


def test_checklist_names_a_missing_attachment_once(owner_client, dossier):
    dossier.attachments.filter(kind=AttachmentKind.BUDGET_TABLE).delete()

    page = owner_client.get(submit_url(dossier)).content.decode()

    assert "Pièces jointes —" in page and "manquante" not in page


def test_confirmation_before_midnight_names_the_closing_wave(owner_client, dossier, two_waves):
    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        response = owner_client.get(submit_url(dossier))

    assert response.context["wave"] == two_waves[0]
    assert f'name="wave" value="{two_waves[0].pk}"' in response.content.decode()


def test_confirmation_at_midnight_names_the_next_wave(owner_client, dossier, two_waves):
    with time_machine.travel(CLOSES, tick=False):
        response = owner_client.get(submit_url(dossier))

    assert response.context["wave"] == two_waves[1]
    assert "vague 2" in response.content.decode()


def test_confirming_after_the_target_changed_shows_the_new_wave_instead_of_submitting(owner_client, dossier, two_waves):
    with time_machine.travel(CLOSES, tick=False):
        response = confirm(owner_client, dossier, two_waves[0])

    assert response.status_code == 409
    assert response.context["wave"] == two_waves[1]
    assert not Submission.objects.exists()


def test_confirming_with_another_campaigns_wave_shows_the_right_wave_instead_of_submitting(
    owner_client, dossier, two_waves
):
    foreign = WaveFactory()

    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        response = confirm(owner_client, dossier, foreign)

    assert response.status_code == 409
    assert response.context["wave"] == two_waves[0]
    assert not Submission.objects.exists()


def test_confirming_submits_and_redirects_to_the_receipt(owner_client, dossier, two_waves):
    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        response = confirm(owner_client, dossier, two_waves[0])

    submission = Submission.objects.get()
    assert response.url == reverse("applications:receipt", kwargs={"pk": dossier.pk, "submission_pk": submission.pk})
    assert submission.wave == two_waves[0]


def test_a_co_editor_confirming_submits_and_is_sent_to_the_receipt(client, dossier, two_waves):
    client.force_login(add_co_editor(dossier))

    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        response = confirm(client, dossier, two_waves[0])

    submission = Submission.objects.get()
    assert response.url == reverse("applications:receipt", kwargs={"pk": dossier.pk, "submission_pk": submission.pk})


def test_someone_else_confirming_with_a_valid_form_gets_404_and_submits_nothing(client, dossier, two_waves):
    client.force_login(official())

    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        response = confirm(client, dossier, two_waves[0])

    assert response.status_code == 404
    assert not Submission.objects.exists()


def test_a_refused_confirmation_says_why_on_the_dossiers_refusal_page(owner_client, dossier, two_waves):
    dossier.attachments.filter(kind=AttachmentKind.BUDGET_TABLE).delete()

    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        response = confirm(owner_client, dossier, two_waves[0])

    assert response.status_code == 409
    page = response.content.decode()
    assert dossier.reference in page and "Le dossier est incomplet" in page
    assert not Submission.objects.exists()


def test_double_click_with_the_same_token_makes_one_submission(owner_client, dossier, two_waves):
    token = uuid.uuid4()
    with time_machine.travel(CLOSES - timedelta(hours=1), tick=False):
        confirm(owner_client, dossier, two_waves[0], token)
        second = confirm(owner_client, dossier, two_waves[0], token)

    assert second.status_code == 302
    assert Submission.objects.count() == 1


def test_no_wave_left_shows_a_clear_refusal(client):
    (only,) = waves(CLOSES)
    dossier = DossierFactory(complete=True, wave=only)
    client.force_login(dossier.owner)

    with time_machine.travel(CLOSES, tick=False):
        response = client.get(submit_url(dossier))

    assert "Les dépôts sont clos" in response.content.decode()


# --- read-only after submission ------------------------------------------------------------------------


@pytest.fixture
def submitted(owner_client, dossier, two_waves):
    with time_machine.travel(CLOSES - timedelta(days=2), tick=False):
        confirm(owner_client, dossier, two_waves[0])
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    # The session saved while time-travelling to 2021 has expired in the present: log in again.
    owner_client.force_login(dossier.owner)
    return dossier


def test_upload_refused_after_submission(owner_client, submitted):
    response = owner_client.post(
        reverse("applications:attachments", kwargs={"pk": submitted.pk}),
        {"kind": AttachmentKind.OTHER, "file": files.upload(files.pdf_bytes())},
    )

    assert response.status_code == 403
    assert "ne peut plus être modifié" in response.content.decode()
    assert submitted.attachments.count() == 3


def test_delete_refused_after_submission(owner_client, submitted):
    attachment = submitted.attachments.first()

    owner_client.post(
        reverse("applications:attachment_delete", kwargs={"pk": submitted.pk, "attachment_pk": attachment.pk})
    )

    assert submitted.attachments.filter(pk=attachment.pk).exists()


def test_section_edit_refused_after_submission(owner_client, submitted):
    url = reverse("applications:section", kwargs={"pk": submitted.pk, "key": "territory"})

    response = owner_client.post(url, {"territory_presentation": "Modifié après dépôt", "employment_basin": "x"})

    assert response.status_code == 302  # back to the read-only dossier page
    assert response["Location"] == reverse("applications:dossier", kwargs={"pk": submitted.pk})
    submitted.refresh_from_db()
    assert submitted.territory_presentation != "Modifié après dépôt"


def test_co_editor_management_refused_after_submission(owner_client, submitted):
    response = owner_client.post(
        reverse("applications:team", kwargs={"pk": submitted.pk}), {"email": "nouvel.editeur@ville.fr"}
    )

    assert response.status_code == 403
    assert not submitted.invitations.exists()


def test_submit_page_of_a_submitted_dossier_leads_to_its_receipt(owner_client, submitted):
    response = owner_client.get(submit_url(submitted))

    assert response.url == reverse("applications:receipt_latest", kwargs={"pk": submitted.pk})


def test_owner_withdraws_before_the_deadline_through_the_page(owner_client, submitted):
    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        response = owner_client.post(
            reverse("applications:withdraw", kwargs={"pk": submitted.pk}),
            {"reason": "Nous voulons ajouter un partenaire."},
        )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.DRAFT


def test_receipt_of_a_withdrawn_submission_says_it_is_no_longer_current(owner_client, submitted):
    receipt = reverse("applications:receipt_latest", kwargs={"pk": submitted.pk})
    assert "dépôt antérieur" not in owner_client.get(receipt, follow=True).content.decode()
    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        owner_client.post(
            reverse("applications:withdraw", kwargs={"pk": submitted.pk}),
            {"reason": "Nous voulons ajouter un partenaire."},
        )
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.DRAFT
    owner_client.force_login(submitted.owner)  # the session saved while time-travelling has expired

    assert "dépôt antérieur" in owner_client.get(receipt, follow=True).content.decode()


def test_withdraw_page_marks_the_reason_as_required_and_offers_a_way_back(owner_client, submitted):
    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        response = owner_client.get(reverse("applications:withdraw", kwargs={"pk": submitted.pk}))

    page = response.content.decode()
    assert 'Motif du retrait<span class="asteriskField">*</span>' in page
    assert reverse("applications:receipt_latest", kwargs={"pk": submitted.pk}) in page


def test_withdraw_page_after_the_deadline_explains_the_refusal(owner_client, submitted):
    with time_machine.travel(CLOSES, tick=False):
        response = owner_client.post(
            reverse("applications:withdraw", kwargs={"pk": submitted.pk}), {"reason": "Trop tard"}
        )

    assert response.status_code == 400
    assert "date limite" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.SUBMITTED


# --- least privilege -------------------------------------------------------------------------------------


def all_urls(dossier):
    attachment = dossier.attachments.first()
    submission = dossier.submissions.first()
    pk = dossier.pk
    return [
        ("get", reverse("applications:attachments", kwargs={"pk": pk})),
        ("post", reverse("applications:attachments", kwargs={"pk": pk})),
        ("get", reverse("applications:attachment_download", kwargs={"pk": pk, "attachment_pk": attachment.pk})),
        ("post", reverse("applications:attachment_delete", kwargs={"pk": pk, "attachment_pk": attachment.pk})),
        ("get", reverse("applications:submit", kwargs={"pk": pk})),
        ("post", reverse("applications:submit", kwargs={"pk": pk})),
        ("get", reverse("applications:receipt_latest", kwargs={"pk": pk})),
        ("get", reverse("applications:receipt", kwargs={"pk": pk, "submission_pk": submission.pk})),
        ("get", reverse("applications:receipt_pdf", kwargs={"pk": pk, "submission_pk": submission.pk})),
        ("get", reverse("applications:withdraw", kwargs={"pk": pk})),
        ("post", reverse("applications:withdraw", kwargs={"pk": pk})),
    ]


def test_another_citys_official_gets_404_everywhere(client, submitted):
    client.force_login(official())

    statuses = {url: getattr(client, method)(url).status_code for method, url in all_urls(submitted)}

    assert set(statuses.values()) == {404}, statuses


def test_reviewer_of_another_region_gets_404_everywhere(client, submitted):
    from tests.factories import RegionFactory

    client.force_login(reviewer(RegionFactory()))

    statuses = {url: getattr(client, method)(url).status_code for method, url in all_urls(submitted)}

    assert set(statuses.values()) == {404}, statuses


def test_reviewer_of_the_region_can_read_the_receipt_and_attachments(client, submitted):
    client.force_login(reviewer(submitted.region))
    attachment = submitted.attachments.first()

    download = client.get(
        reverse("applications:attachment_download", kwargs={"pk": submitted.pk, "attachment_pk": attachment.pk})
    )
    receipt = client.get(reverse("applications:receipt_latest", kwargs={"pk": submitted.pk}), follow=True)

    assert (download.status_code, receipt.status_code) == (200, 200)


def test_anonymous_visitor_is_sent_to_log_in(client, submitted, settings):
    settings.LOGIN_URL = "/connexion/"
    client.logout()

    response = client.get(reverse("applications:attachments", kwargs={"pk": submitted.pk}))

    assert response.status_code == 302
    assert response.url.startswith("/connexion/?next=")


# --- attachment pages -------------------------------------------------------------------------------------


def test_download_is_an_attachment_never_sniffed(owner_client, dossier):
    attachment = dossier.attachments.get(kind=AttachmentKind.COMMITMENT_LETTER)

    response = owner_client.get(
        reverse("applications:attachment_download", kwargs={"pk": dossier.pk, "attachment_pk": attachment.pk})
    )

    assert response["Content-Disposition"].startswith("attachment;")
    assert "lettre-engagement.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_upload_through_the_page(owner_client, dossier):
    response = owner_client.post(
        reverse("applications:attachments", kwargs={"pk": dossier.pk}),
        {"kind": AttachmentKind.PREMISES_PLAN, "file": files.upload(files.png_bytes(), "plan.png", "image/png")},
    )

    assert response.status_code == 302
    assert dossier.attachments.filter(kind=AttachmentKind.PREMISES_PLAN).exists()


def test_refused_upload_through_the_page_shows_the_french_message(owner_client, dossier):
    response = owner_client.post(
        reverse("applications:attachments", kwargs={"pk": dossier.pk}),
        {"kind": AttachmentKind.COMMITMENT_LETTER, "file": files.upload(files.elf_bytes(), "lettre.pdf")},
    )

    assert response.status_code == 400
    assert "programme ou un script" in response.content.decode()


def test_attachment_list_query_count_does_not_grow_with_rows(owner_client, dossier, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("applications:attachments", kwargs={"pk": dossier.pk})
    owner_client.get(url)
    with CaptureQueriesContext(connection) as with_three:
        owner_client.get(url)
    for _ in range(5):
        attach(dossier, AttachmentKind.OTHER)

    with django_assert_num_queries(len(with_three.captured_queries)):
        owner_client.get(url)


def test_path_traversal_name_in_a_real_request_never_reaches_the_disk(owner_client, dossier):
    boundary = "AmiBoundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{AttachmentKind.OTHER}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="../../../etc/passwd.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + files.pdf_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )

    owner_client.post(
        reverse("applications:attachments", kwargs={"pk": dossier.pk}),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    attachment = dossier.attachments.get(kind=AttachmentKind.OTHER)
    assert attachment.original_name == "passwd.pdf"
    assert attachment.file.name.startswith(f"dossiers/{dossier.pk}/")
    assert ".." not in attachment.file.name
