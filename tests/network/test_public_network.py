"""The public network page, the city page's antenna, and the open data: published laureates only, fixed queries."""

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import Antenna
from tests.factories import CommuneFactory, WaveFactory

from .conftest import PUBLISHES_AT, antenna, laureate

pytestmark = pytest.mark.django_db
AFTER = PUBLISHES_AT + timedelta(days=400)


@pytest.fixture
def open_chalon(wave, chalon):
    return antenna(
        laureate(wave, commune=chalon),
        convention_signed_on=date(2021, 5, 3),
        opening_planned_on=date(2021, 9, 1),
        opened_on=date(2021, 9, 6),
    )


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_network_page_counts_open_and_in_progress_by_region_and_campaign(client, open_chalon, wave, quimper):
    laureate(wave, commune=quimper)
    with time_machine.travel(AFTER, tick=False):
        response = get(client, reverse("network:overview"))
    summary = response.context["summary"]
    assert (summary.open, summary.in_progress) == (1, 1)
    assert {r["name"]: (r["open"], r["in_progress"]) for r in summary.by_region} == {
        "Bourgogne-Franche-Comté": (1, 0),
        "Bretagne": (0, 1),
    }
    assert summary.by_campaign == [{"name": wave.campaign.name, "open": 1, "in_progress": 1, "stopped": 0, "total": 2}]
    html = response.content.decode()
    assert "Chalon-sur-Saône" in html and "Antenne ouverte" in html
    assert 'href="/resultats/ami1/71076/"' in html  # the map's marker and the list link to the city page


@pytest.mark.parametrize("offset, shown", [(timedelta(seconds=-1), False), (timedelta(0), True)])
def test_network_page_shows_a_laureate_only_from_its_publication(client, open_chalon, offset, shown):
    with time_machine.travel(PUBLISHES_AT + offset, tick=False):
        html = get(client, reverse("network:overview")).content.decode()
    assert ("Chalon-sur-Saône" in html) is shown


def test_campaign_network_page_is_404_before_publication(client, open_chalon, wave):
    with time_machine.travel(PUBLISHES_AT - timedelta(seconds=1), tick=False):
        assert client.get(reverse("network:campaign", kwargs={"slug": wave.campaign.slug})).status_code == 404
    with time_machine.travel(PUBLISHES_AT, tick=False):
        assert get(client, reverse("network:campaign", kwargs={"slug": wave.campaign.slug}))


def test_unpublished_wave_laureates_never_appear(client, open_chalon, quimper):
    future = WaveFactory(
        campaign__slug="ami3",
        opens_at=AFTER - timedelta(days=90),
        closes_at=AFTER - timedelta(days=10),
        publishes_at=AFTER + timedelta(days=1),
    )
    antenna(laureate(future, commune=quimper), convention_signed_on=date(2022, 1, 1))
    with time_machine.travel(AFTER, tick=False):
        html = get(client, reverse("network:overview")).content.decode()
    assert "Chalon-sur-Saône" in html and "Quimper" not in html


def test_network_page_query_count_does_not_grow_with_antennas(client, wave, chalon, django_assert_num_queries):
    antenna(laureate(wave, commune=chalon), convention_signed_on=date(2021, 1, 1))
    with time_machine.travel(AFTER, tick=False):
        get(client, reverse("network:overview"))
        with CaptureQueriesContext(connection) as one:
            get(client, reverse("network:overview"))
        for index in range(25):
            dossier = laureate(wave, commune=CommuneFactory(latitude=45 + index / 10, longitude=2.0))
            if index % 2:
                antenna(dossier, convention_signed_on=date(2021, 1, 1), opened_on=date(2021, 3, 1))
        with django_assert_num_queries(len(one.captured_queries)):
            response = get(client, reverse("network:overview"))
    assert len(response.context["summary"].rows) == 26


def test_city_page_shows_the_antenna_status_and_dates(client, open_chalon, wave):
    with time_machine.travel(AFTER, tick=False):
        html = get(client, reverse("results-laureate", kwargs={"slug": "ami1", "code": "71076"})).content.decode()
    assert "L'antenne du Cnam" in html or "L&#x27;antenne du Cnam" in html
    assert "Antenne ouverte" in html and "6 septembre 2021" in html


def test_city_page_of_a_laureate_without_antenna_reads_laureate(client, wave, chalon):
    laureate(wave, commune=chalon)
    with time_machine.travel(AFTER, tick=False):
        html = get(client, reverse("results-laureate", kwargs={"slug": "ami1", "code": "71076"})).content.decode()
    assert "<strong>Lauréat</strong>" in html
    assert not Antenna.objects.exists()


def test_open_data_carries_the_antenna_status_and_dates(client, open_chalon):
    with time_machine.travel(AFTER, tick=False):
        document = json.loads(b"".join(get(client, reverse("opendata-json")).streaming_content))
        csv_text = b"".join(get(client, reverse("opendata-csv")).streaming_content).decode()
    assert document["fields"][-4:] == [
        "statut_antenne",
        "convention_signee_le",
        "ouverture_prevue_le",
        "antenne_ouverte_le",
    ]
    row = document["laureates"][0]
    assert (
        row["statut_antenne"],
        row["convention_signee_le"],
        row["ouverture_prevue_le"],
        row["antenne_ouverte_le"],
    ) == ("open", "2021-05-03", "2021-09-01", "2021-09-06")
    assert csv_text.splitlines()[0].endswith(
        "statut_antenne,convention_signee_le,ouverture_prevue_le,antenne_ouverte_le"
    )


def test_open_data_page_documents_the_antenna_fields(client):
    html = get(client, reverse("opendata")).content.decode()
    for field in ("statut_antenne", "convention_signee_le", "ouverture_prevue_le", "antenne_ouverte_le"):
        assert f"<code>{field}</code>" in html
    assert "convention_signed" in html


@pytest.mark.parametrize("offset, listed", [(timedelta(seconds=-1), False), (timedelta(0), True)])
def test_sitemap_lists_the_campaign_network_page_from_publication(client, open_chalon, wave, offset, listed):
    with time_machine.travel(PUBLISHES_AT + offset, tick=False):
        xml = get(client, "/sitemap.xml").content.decode()
    assert "/reseau/</loc>" in xml
    assert (f"/reseau/{wave.campaign.slug}/</loc>" in xml) is listed
