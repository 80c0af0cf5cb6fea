"""The call's public page: readable before signing up, with the calendar, what the dossier needs and how long
the documents take, the call's documents (PDF checked in the admin), the eligibility check, the FAQ and a contact."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.admin.campaigns import CampaignDocumentForm
from applications.models import CampaignDocument, CampaignQuestion
from cities.models import ProgrammeMembership
from tests.factories import CampaignFactory, CommuneFactory, EpciFactory, UserFactory, WaveFactory, official

from .submission_files import pdf_bytes, pdf_with_javascript

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def campaign():
    campaign = CampaignFactory(name="Au cœur des territoires — 3e AMI", slug="ami-3", contact_email="ami@cnam.fr")
    WaveFactory(campaign=campaign, number=1)  # open now
    return campaign


def _page(client, campaign, **params):
    return client.get(reverse("applications:campaign", kwargs={"slug": campaign.slug}), params)


def test_anonymous_visitor_is_offered_to_apply_by_creating_an_account(client, campaign):
    page = _page(client, campaign).text
    start = reverse("applications:start", kwargs={"slug": "ami-3"})
    assert "Candidater : créer un compte" in page
    assert f"{reverse('accounts:signup')}?next={start}" in page


def test_official_is_offered_to_start_their_dossier(client, campaign):
    client.force_login(official())
    page = _page(client, campaign).text
    assert f'href="{reverse("applications:start", kwargs={"slug": "ami-3"})}"' in page


def test_calendar_gives_each_waves_last_second_in_paris_time(client):
    campaign = CampaignFactory(slug="ami-2020")
    closes = datetime(2020, 11, 7, tzinfo=PARIS)
    WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=closes - timedelta(days=100),
        closes_at=closes,
        publishes_at=closes + timedelta(days=38),
    )
    page = _page(client, campaign).text
    assert "6 novembre 2020 à 23:59:59" in page and "close" in page
    assert "Les candidatures à cet appel sont closes." in page


def test_required_documents_are_listed_with_their_lead_time(client, campaign):
    page = _page(client, campaign).text
    assert "Délibération du conseil" in page
    assert "Plusieurs semaines : elle demande un vote du conseil municipal ou communautaire" in page


def test_faq_and_contact_kept_by_staff_are_shown(client, campaign):
    CampaignQuestion.objects.create(
        campaign=campaign, question="Une EPCI peut-elle candidater ?", answer="Oui, pour Territoires d'industrie."
    )
    page = _page(client, campaign).text
    assert "Une EPCI peut-elle candidater ?" in page and "Oui, pour Territoires d&#x27;industrie." in page
    assert 'href="mailto:ami@cnam.fr"' in page


def test_eligibility_check_tells_the_programmes_of_a_commune(client, campaign):
    epci = EpciFactory(name="CA Bergeracoise")
    bergerac = CommuneFactory(name="Bergerac", epci=epci)
    CommuneFactory(name="Bergerac-le-Petit-Imaginaire")
    ProgrammeMembership.objects.create(programme="acv", commune=bergerac, territory_name="Bergerac", source="ANCT")
    ProgrammeMembership.objects.create(programme="ti", commune=bergerac, territory_name="Bergeracois", source="ANCT")
    page = _page(client, campaign, q="Bergerac").text
    assert "Action Cœur de Ville : oui" in page and "Territoires d’industrie : oui (Bergeracois)" in page
    assert "Cette commune (ou son intercommunalité) peut candidater" in page
    assert "Cette commune n’appartient à aucun des deux programmes" in page  # the other Bergerac


def test_eligibility_answer_alone_for_htmx(client, campaign):
    CommuneFactory(name="Nevers")
    url = reverse("applications:campaign_eligibility", kwargs={"slug": campaign.slug})
    fragment = client.get(url, {"q": "Nevers"}, headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and "Nevers" in fragment and "Action Cœur de Ville : non" in fragment


def test_eligibility_check_with_no_match_says_so(client, campaign):
    page = _page(client, campaign, q="Zzzzz").text
    assert "Aucune commune ne correspond à « Zzzzz »." in page


def test_eligibility_query_count_does_not_grow_with_results(client, campaign, django_assert_max_num_queries):
    for number in range(8):
        commune = CommuneFactory(name=f"Saint-Test {number}")
        ProgrammeMembership.objects.create(programme="acv", commune=commune, source="ANCT")
    url = reverse("applications:campaign_eligibility", kwargs={"slug": campaign.slug})
    with django_assert_max_num_queries(4):
        client.get(url, {"q": "Saint-Test"}, headers={"HX-Request": "true"})


def test_document_of_the_call_is_downloadable_inline_as_pdf(client, campaign, settings, tmp_path):
    document = CampaignDocument(campaign=campaign, title="Règlement de l'appel", size=10)
    document.file.save("x.pdf", SimpleUploadedFile("x.pdf", pdf_bytes()), save=True)
    page = _page(client, campaign).text
    url = reverse("applications:campaign_document", kwargs={"slug": "ami-3", "pk": document.pk})
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "reglement-de-lappel.pdf" in response["Content-Disposition"]


def test_admin_refuses_a_document_that_is_not_a_pdf():
    campaign = CampaignFactory()
    form = CampaignDocumentForm(
        data={"title": "Règlement", "position": 0},
        files={"file": SimpleUploadedFile("reglement.pdf", b"<html>not a pdf</html>", content_type="application/pdf")},
        instance=CampaignDocument(campaign=campaign),
    )
    assert not form.is_valid()
    assert form.errors["file"] == ["Les documents de l’appel doivent être des fichiers PDF."]


def test_admin_refuses_a_pdf_with_active_content():
    campaign = CampaignFactory()
    form = CampaignDocumentForm(
        data={"title": "Règlement", "position": 0},
        files={"file": SimpleUploadedFile("reglement.pdf", pdf_with_javascript(), content_type="application/pdf")},
        instance=CampaignDocument(campaign=campaign),
    )
    assert not form.is_valid()
    assert "contenu actif" in form.errors["file"][0]


def test_home_page_leads_to_the_call_page(client, campaign):
    page = client.get(reverse("home")).text
    assert f'href="{reverse("applications:campaign", kwargs={"slug": "ami-3"})}"' in page
    assert "Candidater" in page


def test_logged_in_staff_sees_their_dossiers_link_not_the_start(client, campaign):
    client.force_login(UserFactory(is_staff=True))
    page = _page(client, campaign).text
    assert "Candidater : créer un compte" not in page


def test_demo_call_page_has_a_contact_a_faq_and_its_rules_once(client):
    from applications.domain.campaigns import ensure_demo_campaign

    campaign = ensure_demo_campaign()
    ensure_demo_campaign()
    assert campaign.questions.count() == 3 and campaign.documents.count() == 1
    page = _page(client, campaign).text
    assert "Une intercommunalité peut-elle candidater ?" in page and "Règlement de l&#x27;appel" in page
    document = campaign.documents.get()
    assert (
        client.get(reverse("applications:campaign_document", kwargs={"slug": "demo", "pk": document.pk})).status_code
        == 200
    )
