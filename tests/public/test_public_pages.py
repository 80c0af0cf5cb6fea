"""Public result pages: filters, counts, pictures, not-retained count, and no N+1."""

from datetime import timedelta

import pytest
import time_machine

from applications.states import DossierStatus
from public.models import WavePublicationSettings
from tests.factories import CommuneFactory, DossierFactory

from .conftest import PUBLISHES_AT, laureate

AFTER = PUBLISHES_AT + timedelta(hours=1)

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _after_publication():
    with time_machine.travel(AFTER, tick=False):
        yield


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.usefixtures("laureates")
@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("?region=11", "Évry-Courcouronnes", "Chalon-sur-Saône"),
        ("?programme=acv", "Chalon-sur-Saône", "Évry-Courcouronnes"),
        ("?programme=ti", "Évry-Courcouronnes", "Chalon-sur-Saône"),
    ],
)
def test_results_page_filters_by_region_and_programme(client, query, shown, hidden):
    response = page(client, "/resultats/ami2/vague-1/" + query)
    names = {d.commune.name for d in response.context["laureates"]}
    assert shown in names and hidden not in names
    assert response.context["total"] == 1


@pytest.mark.usefixtures("laureates")
def test_results_page_counts_by_region_and_programme(client):
    context = page(client, "/resultats/ami2/").context
    assert context["total"] == 2
    assert {r["name"]: r["count"] for r in context["by_region"]} == {"Bourgogne-Franche-Comté": 1, "Île-de-France": 1}
    assert dict(context["by_programme"]) == {"Action Cœur de Ville": 1, "Territoires d'industrie": 1}


@pytest.mark.usefixtures("laureates")
def test_results_page_draws_an_accessible_map_and_chart_without_script(client):
    html = page(client, "/resultats/ami2/").content.decode()
    # The chart is an image; the map is a group with a title whose markers are links to the city pages.
    assert html.count('role="img"') == 1 and html.count('role="group"') == 1
    assert "<title" in html and "<circle" in html
    assert '<a href="/resultats/ami2/71076/" aria-label="Chalon-sur-Saône">' in html
    assert "<table" in html  # the data alternative
    assert "<script>" not in html and "style=" not in html


@pytest.mark.usefixtures("laureates")
def test_map_coordinates_are_not_localised_with_decimal_commas(client):
    html = page(client, "/resultats/ami2/").content.decode()
    import re

    for cx in re.findall(r'cx="([^"]+)"', html):
        float(cx)


def test_only_laureates_are_listed(client, wave, chalon):
    laureate(wave, commune=chalon)
    DossierFactory(wave=wave, status=DossierStatus.NOT_RETAINED, commune=CommuneFactory(name="Refusée-les-Bains"))
    html = page(client, "/resultats/ami2/").content.decode()
    assert "Chalon-sur-Saône" in html and "Refusée-les-Bains" not in html


def test_not_retained_count_is_shown_only_when_the_committee_wants_it(client, wave, chalon):
    laureate(wave, commune=chalon)
    DossierFactory.create_batch(3, wave=wave, status=DossierStatus.NOT_RETAINED)
    assert page(client, "/resultats/ami2/vague-1/").context["not_retained"] is None
    WavePublicationSettings.objects.create(wave=wave, show_not_retained_count=True)
    assert page(client, "/resultats/ami2/vague-1/").context["not_retained"] == 3


def test_laureate_page_shows_the_public_summary(client, laureates):
    html = page(client, "/resultats/ami2/71076/").content.decode()
    assert "Former à l&#x27;industrie à Chalon-sur-Saône." in html
    assert "Action Cœur de Ville" in html


def test_laureate_page_of_a_non_laureate_is_404(client, wave, chalon):
    DossierFactory(wave=wave, commune=chalon, status=DossierStatus.NOT_RETAINED)
    assert client.get("/resultats/ami2/71076/").status_code == 404


def test_results_index_and_home_link_to_the_campaign(client, laureates):
    assert "/resultats/ami2/" in page(client, "/resultats/").content.decode()
    assert "/resultats/ami2/" in page(client, "/").content.decode()


def test_results_page_query_count_does_not_grow_with_laureates(client, wave, chalon, django_assert_num_queries):
    laureate(wave, commune=chalon)
    page(client, "/resultats/ami2/")  # warms the map outline cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        page(client, "/resultats/ami2/")
    for _ in range(3):
        laureate(wave)
    with django_assert_num_queries(len(one.captured_queries)):
        response = page(client, "/resultats/ami2/")
    assert response.context["total"] == 4


def test_open_data_page_documents_schema_and_licence(client):
    html = page(client, "/donnees/").content.decode()
    assert "Licence Ouverte / Etalab 2.0" in html
    for field in ("code_insee", "ville", "region", "date_decision", "resume"):
        assert f"<code>{field}</code>" in html


def test_pages_are_in_french_by_default(client, laureates):
    html = page(client, "/resultats/ami2/").content.decode()
    assert "Villes lauréates" in html
