"""An intercommunality (EPCI) laureate belongs to the programmes of its communes on every public surface."""

import csv
import io
import json
from datetime import timedelta

import pytest
import time_machine

from .conftest import PUBLISHES_AT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("laureates", "epci_laureate")]

TI = "Territoires d'industrie"


@pytest.fixture(autouse=True)
def _after_publication():
    with time_machine.travel(PUBLISHES_AT + timedelta(hours=1), tick=False):
        yield


def test_results_filter_lists_the_epci_laureate_under_its_communes_programme(client):
    response = client.get("/resultats/ami2/vague-1/?programme=ti")
    assert {d.applicant_name for d in response.context["laureates"]} == {"Évry-Courcouronnes", "Grand Paris Sud"}


def test_results_summary_counts_the_epci_laureate_in_the_programme_it_is_listed_under(client):
    context = client.get("/resultats/ami2/vague-1/?programme=ti").context
    assert context["total"] == 2
    assert dict(context["by_programme"]) == {"Action Cœur de Ville": 0, TI: 2}


def test_results_summary_of_the_whole_campaign_counts_the_epci_laureate(client):
    context = client.get("/resultats/ami2/").context
    assert dict(context["by_programme"]) == {"Action Cœur de Ville": 1, TI: 2}


def test_laureate_page_of_the_epci_names_its_programme(client):
    html = client.get("/resultats/ami2/200057859/").content.decode()
    assert 'Programmes</dt><dd class="col-sm-9">Territoires d&#x27;industrie</dd>' in " ".join(html.split())


def test_open_data_csv_row_of_the_epci_laureate_has_its_programme(client):
    content = b"".join(client.get("/donnees/laureats.csv").streaming_content).decode()
    rows = {row["code_insee"]: row for row in csv.DictReader(io.StringIO(content))}
    assert rows["200057859"]["programmes"] == TI
    assert rows["71076"]["programmes"] == "Action Cœur de Ville"


def test_open_data_json_row_of_the_epci_laureate_has_its_programme(client):
    document = json.loads(b"".join(client.get("/donnees/ami2/laureats.json").streaming_content))
    by_code = {row["code_insee"]: row for row in document["laureates"]}
    assert by_code["200057859"]["programmes"] == TI


def test_results_map_places_the_epci_laureate_at_its_communes_with_a_link_to_its_page(client, epci_laureate):
    from cities.models import Commune

    Commune.objects.filter(epci=epci_laureate.epci).update(latitude=48.6113, longitude=2.4741)
    context = client.get("/resultats/ami2/vague-1/").context
    markers = {marker.label: marker for marker in context["france_map"]["markers"]}
    assert markers["Grand Paris Sud"].url == "/resultats/ami2/200057859/"
    assert "Grand Paris Sud" not in {d.applicant_name for d in context["elsewhere"]}


def test_the_results_page_links_the_epci_laureate_by_its_siren_and_the_commune_by_its_insee_code(client, epci_laureate):
    html = client.get("/resultats/ami2/vague-1/").content.decode()
    assert f'href="/resultats/ami2/{epci_laureate.epci.siren}/"' in html
    assert 'href="/resultats/ami2/91228/"' in html
