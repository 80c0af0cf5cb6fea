"""The dossier's message thread, both ways, in a real browser: a reviewer asks for a document, the official
answers with it."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from applications.states import DossierStatus
from tests.browser.helpers import assert_accessible, make_pdf
from tests.factories import DossierFactory, reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _tab(open_browser, live_server, user):
    client = Client()
    client.force_login(user)
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
    return context.new_page()


def test_reviewer_asks_for_a_document_and_the_official_sends_it(open_browser, live_server, tmp_path):
    dossier = DossierFactory(status=DossierStatus.SUBMITTED)
    staff = reviewer(dossier.region, first_name="Paul", last_name="Girard")
    url = reverse("applications:messages", kwargs={"pk": dossier.pk})

    staff_tab = _tab(open_browser, live_server, staff)
    staff_tab.goto(url)
    staff_tab.get_by_label("Votre message").fill("Merci d'envoyer la délibération signée.")
    staff_tab.get_by_label("Ce message demande un document aux candidats").check()
    staff_tab.get_by_role("button", name="Envoyer").click()
    staff_tab.get_by_text("Message envoyé.").wait_for()

    official_tab = _tab(open_browser, live_server, dossier.owner)
    official_tab.goto(url)
    assert "Merci d'envoyer la délibération signée." in official_tab.locator("main").inner_text()
    assert_accessible(official_tab, "message thread")
    official_tab.get_by_label("Votre message").fill("La voici.")
    official_tab.get_by_label("Document (facultatif)").set_input_files(make_pdf(tmp_path / "deliberation.pdf"))
    official_tab.get_by_role("button", name="Envoyer").click()
    official_tab.get_by_text("Message envoyé.").wait_for()

    staff_tab.reload()
    thread = staff_tab.locator("main").inner_text()
    assert "La voici." in thread and "deliberation.pdf" in thread
