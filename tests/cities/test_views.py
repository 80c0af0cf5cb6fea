"""Public search endpoints: HTML fragment for htmx, JSON, field mode for the commune widget."""

import pytest
from django.urls import reverse

from tests.factories import CommuneFactory, DepartementFactory, EpciFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chalon():
    return CommuneFactory(
        insee_code="71076",
        name="Chalon-sur-Saône",
        postal_codes=["71100"],
        population=45102,
        departement=DepartementFactory(code="71", name="Saône-et-Loire"),
    )


def test_search_returns_an_html_list_with_name_departement_postal_codes_and_population(client, chalon):
    response = client.get(reverse("cities:commune_search"), {"q": "chalon sur saone"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="list-group commune-results"' in html
    for text in ("Chalon-sur-Saône", "Saône-et-Loire (71)", "71100", "45"):
        assert text in html


def test_search_returns_json(client, chalon):
    response = client.get(reverse("cities:commune_search"), {"q": "71100", "format": "json"})
    result = response.json()["results"][0]
    assert result["insee_code"] == "71076"
    assert result["label"] == "Chalon-sur-Saône (71)"
    assert result["departement"] == {"code": "71", "name": "Saône-et-Loire"}
    assert result["postal_codes"] == ["71100"] and result["population"] == 45102


def test_search_is_limited_to_20_results(client):
    CommuneFactory.create_batch(25, name="Villers")
    assert len(client.get(reverse("cities:commune_search"), {"q": "villers", "format": "json"}).json()["results"]) == 20


def test_one_character_asks_for_more(client, chalon):
    response = client.get(reverse("cities:commune_search"), {"q": "c"})
    assert "deux caractères" in response.content.decode()


def test_field_mode_offers_radio_choices_named_after_the_field(client, chalon):
    response = client.get(reverse("cities:commune_search"), {"field": "form-0-commune", "form-0-commune": "chalon"})
    assert 'type="radio" name="form-0-commune_choice"' in response.content.decode()
    assert 'value="71076"' in response.content.decode()


def test_field_name_with_markup_is_ignored(client, chalon):
    response = client.get(reverse("cities:commune_search"), {"field": '"><script>', "q": "chalon"})
    assert "<script>" not in response.content.decode()
    assert "radio" not in response.content.decode()


def test_no_result_is_announced(client, chalon):
    response = client.get(reverse("cities:commune_search"), {"q": "zzzz"})
    assert "Aucune commune ne correspond" in response.content.decode()


def test_epci_search_returns_fragment_and_json(client):
    EpciFactory(siren="247100589", name="CA Le Grand Chalon")
    url = reverse("cities:epci_search")
    assert "CA Le Grand Chalon" in client.get(url, {"q": "grand chalon"}).content.decode()
    assert client.get(url, {"q": "247100589", "format": "json"}).json()["results"][0]["siren"] == "247100589"
