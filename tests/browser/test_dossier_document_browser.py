"""The whole dossier as a document, from the browser: the print view passes axe, the PDF downloads and reads back."""

import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.browser.helpers import assert_accessible
from tests.factories import DossierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_official_prints_and_downloads_the_whole_dossier_as_pdf(open_browser, live_server):
    dossier = DossierFactory(complete=True, title="Le Cnam au cœur de Nevers")
    client = Client()
    client.force_login(dossier.owner)
    context = open_browser()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    tab = context.new_page()
    tab.goto(reverse("applications:dossier", kwargs={"pk": dossier.pk}))
    tab.get_by_role("link", name="Version imprimable").click()
    tab.wait_for_url(f"**{reverse('applications:dossier_print', kwargs={'pk': dossier.pk})}")
    assert "Le Cnam au cœur de Nevers" in tab.locator("main").inner_text()
    assert_accessible(tab, "dossier print view")
    # The link's target, fetched with the browser's session (Chromium would show the PDF inline rather than save it).
    href = tab.get_by_role("link", name="Télécharger en PDF").get_attribute("href")
    response = context.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert dossier.reference in text and "Le Cnam au cœur de Nevers" in text
    assert all(attachment.sha256[:12] in text.replace("\n", "") for attachment in dossier.attachments.all())
