"""Search-as-you-type answers are kept a while by each web process (cities/views.py): asked again, no query."""

import time

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from cities import views
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("cities:commune_search")


@pytest.fixture(autouse=True)
def memo_on(settings):
    settings.SEARCH_ANSWER_CACHE_SECONDS = 600
    views.forget_recent_answers()
    yield
    views.forget_recent_answers()


@pytest.fixture
def chalon():
    return CommuneFactory(name="Chalon-sur-Saône", postal_codes=["71100"], population=44000)


def test_the_same_search_again_runs_no_query(client, chalon, django_assert_num_queries):
    first = client.get(SEARCH, {"q": "chalon"})
    with django_assert_num_queries(0):
        again = client.get(SEARCH, {"q": "chalon"})
    assert again.status_code == 200
    assert again.content == first.content
    assert "Chalon-sur-Saône" in again.content.decode()


def test_json_and_radio_answers_are_kept_apart_from_the_list(client, chalon):
    listed = client.get(SEARCH, {"q": "chalon"})
    as_json = client.get(SEARCH, {"q": "chalon", "format": "json"})
    as_radios = client.get(SEARCH, {"q": "chalon", "field": "commune"})
    assert as_json["Content-Type"] == "application/json"
    assert as_json.json()["results"][0]["name"] == "Chalon-sur-Saône"
    assert 'name="commune_choice"' in as_radios.content.decode()
    assert 'name="commune_choice"' not in listed.content.decode()


def test_each_language_gets_its_own_answer(client):
    with translation.override("fr"):
        french = client.get(SEARCH, {"q": "zzzz"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = client.get(SEARCH, {"q": "zzzz"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Aucune commune" in french
    assert "No commune matches" in english


def test_an_answer_is_asked_again_once_its_time_is_up(client, chalon):
    with time_machine.travel(time.time(), tick=False) as traveller:
        client.get(SEARCH, {"q": "chalon"})
        CommuneFactory(name="Chalonnes-sur-Loire", population=6500)
        assert "Chalonnes" not in client.get(SEARCH, {"q": "chalon"}).content.decode()
        traveller.shift(601)
        assert "Chalonnes" in client.get(SEARCH, {"q": "chalon"}).content.decode()


def test_the_memo_is_bounded():
    assert views._recent_answers.maxsize <= 5000
