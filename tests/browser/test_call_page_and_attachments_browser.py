"""Before signing up, the call's public page answers "is my commune eligible?" as one types; while filling in,
deleting an attachment asks first; a near deadline shows on every dossier page."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Attachment
from cities.models import ProgrammeMembership
from tests.browser.dossier_steps import upload
from tests.browser.helpers import assert_accessible, make_pdf
from tests.factories import CampaignFactory, CommuneFactory, DossierFactory, WaveFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _tab(open_browser, live_server, user=None):
    context = open_browser()
    if user is not None:
        client = Client()
        client.force_login(user)
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


def test_visitor_checks_their_commune_on_the_call_page_as_they_type(open_browser, live_server):
    campaign = CampaignFactory(slug="ami-appel", name="Au cœur des territoires — appel ouvert")
    WaveFactory(campaign=campaign, number=1)
    nevers = CommuneFactory(name="Nevers", insee_code="58194")
    ProgrammeMembership.objects.create(programme="acv", commune=nevers, territory_name="Nevers", source="ANCT")
    tab = _tab(open_browser, live_server)
    tab.goto(reverse("home"))
    tab.get_by_role("link", name="Candidater").first.click()
    tab.wait_for_url(f"**{reverse('applications:campaign', kwargs={'slug': 'ami-appel'})}")
    assert "Délibération du conseil" in tab.locator("main").inner_text()
    tab.get_by_label("Commune (nom, code postal ou code INSEE)").press_sequentially("Nevers")
    tab.locator("#eligibility-results").get_by_text("Action Cœur de Ville : oui").wait_for()
    assert_accessible(tab, "call page with an eligibility answer")


def test_deleting_an_attachment_asks_first_and_a_near_deadline_shows(open_browser, live_server, tmp_path):
    now = timezone.now()
    wave = WaveFactory(
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=2, hours=3),
        publishes_at=now + timedelta(days=40),
    )
    dossier = DossierFactory(wave=wave, campaign=wave.campaign)
    tab = _tab(open_browser, live_server, dossier.owner)
    tab.goto(reverse("applications:attachments", kwargs={"pk": dossier.pk}))
    assert "heures restantes" in tab.locator(".deadline-banner").inner_text()
    upload(tab, "Letter of commitment signed by the mayor or president", make_pdf(tmp_path / "engagement.pdf"))
    tab.get_by_role("link", name="Supprimer engagement.pdf").click()
    assert_accessible(tab, "attachment deletion confirmation")
    tab.get_by_role("link", name="Non, le garder").click()
    assert Attachment.objects.filter(dossier=dossier).count() == 1
    tab.get_by_role("link", name="Supprimer engagement.pdf").click()
    tab.get_by_role("button", name="Oui, le supprimer").click()
    tab.get_by_text("« engagement.pdf » a été supprimé").wait_for()
    assert not Attachment.objects.filter(dossier=dossier).exists()
