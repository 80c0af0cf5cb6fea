"""The public page cache (public/page_cache.py): a change shows at the next request, a publication shows at its
instant and not one second before — even through a page cached just before — and a cache hit costs one query.

The cache is the project's (Redis when REDIS_URL is set, else local memory), with a key prefix of this test's own;
writes run their after-commit callbacks, as they do outside a test's rolled-back transaction."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from applications.states import DossierStatus
from network.services import antenna_for_laureate
from public import page_cache
from reviews.services import record_decision
from tests.factories import CommuneFactory, DossierFactory, WaveFactory

from .conftest import PUBLISHES_AT, laureate, make_user

pytestmark = pytest.mark.django_db

AFTER = PUBLISHES_AT + timedelta(days=1)
BEFORE = PUBLISHES_AT - timedelta(seconds=1)
# Each public page and what it shows of the laureates of wave 1 once published.
PUBLIC_PAGES = {
    "/": "/resultats/ami2/",
    "/resultats/": "/resultats/ami2/",
    "/donnees/": "/donnees/ami2/laureats.csv",
    "/donnees/laureats.csv": "Chalon-sur-Saône",
    "/donnees/laureats.json": "Chalon-sur-Saône",
    "/reseau/": "Chalon-sur-Saône",
}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    settings.PUBLIC_PAGE_CACHE_PREFIX = f"test-page-{uuid.uuid4().hex}"


def text(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


def submitted(wave, name):
    return DossierFactory(wave=wave, commune=CommuneFactory(name=name), status=DossierStatus.UNDER_REVIEW)


def decide(dossier, capture, outcome=DossierStatus.LAUREATE):
    coordinator = make_user("coordinator")
    with capture(execute=True):
        record_decision(dossier=dossier, outcome=outcome, justification="Projet solide.", by=coordinator)


def test_a_cached_results_page_shows_a_new_decision_at_the_next_request(
    client, wave, laureates, django_capture_on_commit_callbacks
):
    newcomer = submitted(wave, "Montceau-les-Mines")
    with time_machine.travel(AFTER, tick=False):
        assert "Montceau-les-Mines" not in text(client.get("/resultats/ami2/"))
        decide(newcomer, django_capture_on_commit_callbacks)
        assert "Montceau-les-Mines" in text(client.get("/resultats/ami2/"))


def test_an_edit_of_a_laureate_shows_on_its_cached_page_at_once(
    client, wave, laureates, django_capture_on_commit_callbacks
):
    with time_machine.travel(AFTER, tick=False):
        assert "Campus connecté de Chalon" in text(client.get("/resultats/ami2/71076/"))
        with django_capture_on_commit_callbacks(execute=True):
            laureates[0].title = "Campus des métiers de Chalon"
            laureates[0].save()
        assert "Campus des métiers de Chalon" in text(client.get("/resultats/ami2/71076/"))


@pytest.mark.parametrize(("url", "shown"), PUBLIC_PAGES.items())
def test_a_page_cached_one_second_before_publication_shows_the_laureates_one_second_after(
    client, laureates, url, shown, django_assert_max_num_queries
):
    with time_machine.travel(BEFORE - timedelta(seconds=1), tick=False):
        assert shown not in text(client.get(url))
    with time_machine.travel(BEFORE, tick=False), django_assert_max_num_queries(1):
        # Served from the cache (one query: the publication state), still without the embargoed laureates.
        assert shown not in text(client.get(url))
    with time_machine.travel(PUBLISHES_AT + timedelta(seconds=1), tick=False):
        assert shown in text(client.get(url))


def test_the_results_page_shows_the_laureates_at_the_publication_instant_itself(client, laureates):
    with time_machine.travel(BEFORE, tick=False):
        assert "/resultats/ami2/" not in text(client.get("/"))
        assert "Chalon-sur-Saône" not in text(client.get("/donnees/laureats.csv"))
    with time_machine.travel(PUBLISHES_AT, tick=False):
        assert "/resultats/ami2/" in text(client.get("/"))
        assert "Chalon-sur-Saône" in text(client.get("/donnees/laureats.csv"))


def test_a_decision_taken_before_publication_never_shows_through_the_cache(
    client, wave, laureates, django_capture_on_commit_callbacks
):
    second = WaveFactory(
        campaign=wave.campaign,
        number=2,
        opens_at=AFTER - timedelta(days=60),
        closes_at=AFTER - timedelta(days=2),
        publishes_at=AFTER + timedelta(hours=1),
    )
    candidate = submitted(second, "Montceau-les-Mines")
    with time_machine.travel(AFTER, tick=False):
        assert "Chalon-sur-Saône" in text(client.get("/resultats/ami2/"))
        decide(candidate, django_capture_on_commit_callbacks)
        for url in ["/resultats/ami2/", "/donnees/laureats.csv", "/reseau/"]:
            assert "Montceau-les-Mines" not in text(client.get(url))
    with time_machine.travel(second.publishes_at - timedelta(seconds=1), tick=False):
        assert "Montceau-les-Mines" not in text(client.get("/resultats/ami2/"))
    with time_machine.travel(second.publishes_at, tick=False):
        assert "Montceau-les-Mines" in text(client.get("/resultats/ami2/"))


def test_a_cache_hit_costs_at_most_one_query(client, laureates, django_assert_max_num_queries):
    with time_machine.travel(AFTER, tick=False):
        first = client.get("/resultats/ami2/")
        with django_assert_max_num_queries(1):
            again = client.get("/resultats/ami2/")
    assert again.content == first.content.replace(_token(first), _token(again))


def test_each_filter_of_the_results_is_cached_on_its_own(client, laureates):
    with time_machine.travel(AFTER, tick=False):
        filtered = text(client.get("/resultats/ami2/?programme=ti"))
        everything = text(client.get("/resultats/ami2/"))
    assert "Évry-Courcouronnes" in filtered and "Chalon-sur-Saône" not in filtered
    assert "Évry-Courcouronnes" in everything and "Chalon-sur-Saône" in everything


def test_each_language_is_cached_on_its_own(client, laureates):
    with time_machine.travel(AFTER, tick=False):
        french = text(client.get("/resultats/", HTTP_ACCEPT_LANGUAGE="fr"))
        english = text(client.get("/resultats/", HTTP_ACCEPT_LANGUAGE="en"))
    assert '<html lang="fr">' in french
    assert '<html lang="en">' in english


def test_a_wave_opening_shows_on_the_cached_home_page_at_its_opening(client, db):
    wave = WaveFactory(campaign__name="Campagne du printemps", opens_at=PUBLISHES_AT)
    with time_machine.travel(PUBLISHES_AT - timedelta(seconds=1), tick=False):
        assert "Applications are accepted until" not in text(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    with time_machine.travel(wave.opens_at, tick=False):
        assert "Applications are accepted until" in text(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))


def test_a_new_faq_answer_shows_on_the_cached_call_page(client, wave, django_capture_on_commit_callbacks):
    url = f"/appel/{wave.campaign.slug}/"
    assert "Qui peut candidater ?" not in text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        wave.campaign.questions.create(question="Qui peut candidater ?", answer="Les communes.")
    assert "Qui peut candidater ?" in text(client.get(url))


def _token(response) -> bytes:
    start = response.content.index(b'name="csrfmiddlewaretoken" value="') + len(b'name="csrfmiddlewaretoken" value="')
    return response.content[start : response.content.index(b'"', start)]


def test_every_visitor_gets_their_own_working_csrf_token_from_a_cached_page(laureates):
    with time_machine.travel(AFTER, tick=False):
        Client().get("/resultats/")  # cached with the first visitor's token
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get("/resultats/")
        assert b"__csrf_token_of_this_visitor__" not in page.content
        switched = visitor.post(
            "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": _token(page).decode()}
        )
    assert switched.status_code == 302


def test_a_logged_in_person_is_never_served_a_cached_page(client, laureates):
    with time_machine.travel(AFTER, tick=False):
        Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(make_user("coordinator"))
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Administration" in text(response)
    assert "no-store" in response["Cache-Control"]


def test_browsers_may_not_keep_a_page_past_the_next_publication(client, laureates):
    with time_machine.travel(PUBLISHES_AT - timedelta(seconds=20), tick=False):
        first = client.get("/donnees/laureats.csv")
        again = client.get("/donnees/laureats.csv")
    assert (
        set(first["Cache-Control"].split(", ")) == set(again["Cache-Control"].split(", ")) == {"public", "max-age=20"}
    )
    assert "Cookie" in again["Vary"] and "Accept-Language" in again["Vary"]


def test_a_page_with_a_per_visitor_token_is_kept_by_the_browser_only(client, laureates):
    with time_machine.travel(AFTER, tick=False):
        response = client.get("/resultats/")
    assert set(response["Cache-Control"].split(", ")) == {"private", "max-age=60"}


def test_with_the_cache_down_pages_are_computed_and_right(client, settings, wave, laureates):
    settings.CACHES = {
        "default": {
            "BACKEND": "ami_portal.cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:9598/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with time_machine.travel(BEFORE, tick=False):
        assert "Chalon-sur-Saône" not in text(client.get("/donnees/laureats.csv"))
    with time_machine.travel(PUBLISHES_AT, tick=False):
        response = client.get("/donnees/laureats.csv")
    assert response.status_code == 200
    assert "Chalon-sur-Saône" in text(response)


def test_an_antenna_change_shows_on_the_cached_network_page(client, wave, django_capture_on_commit_callbacks):
    antenna = antenna_for_laureate(dossier=laureate(wave, commune=CommuneFactory(name="Autun")))
    with time_machine.travel(AFTER, tick=False):
        before = text(client.get("/reseau/"))
        with django_capture_on_commit_callbacks(execute=True):
            antenna.opened_on = (AFTER - timedelta(days=10)).date()
            antenna.save()
        after = text(client.get("/reseau/"))
    assert "Autun" in before and before != after


def test_a_query_string_outside_the_pages_filters_is_answered_uncached(client, laureates):
    with time_machine.travel(AFTER, tick=False):
        client.get("/resultats/ami2/?utm_source=lettre")
        with CaptureQueriesContext(connection) as queries:
            again = client.get("/resultats/ami2/?utm_source=lettre")
    assert "Chalon-sur-Saône" in text(again)
    assert len(queries) > 1


def _version() -> int:
    return int(page_cache.publication_state().split(".")[0])


def test_many_public_changes_in_one_transaction_bump_the_state_once(django_capture_on_commit_callbacks):
    page_cache._bump_now()
    before = _version()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(5):
            page_cache.publication_state_changed()
    assert _version() == before + 1


def test_a_change_after_a_rolled_back_savepoint_still_bumps_the_state(django_capture_on_commit_callbacks):
    before = page_cache.publication_state()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                page_cache.publication_state_changed()
                raise RuntimeError("this change is rolled back")
        except RuntimeError:
            pass
        page_cache.publication_state_changed()
    assert page_cache.publication_state() != before


def test_a_change_in_a_savepoint_after_one_outside_it_bumps_once(django_capture_on_commit_callbacks):
    page_cache._bump_now()
    before = _version()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        page_cache.publication_state_changed()
        with transaction.atomic():
            page_cache.publication_state_changed()
    assert _version() == before + 1


def test_the_next_transaction_bumps_again(django_capture_on_commit_callbacks):
    page_cache._bump_now()
    before = _version()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            page_cache.publication_state_changed()
    assert _version() == before + 2
