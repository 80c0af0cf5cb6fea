"""HTTP behaviour of the API: conditional GET, CORS on the public part only, rate limits, and query counts that do
not grow with the rows."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.tokens import issue_token
from applications.states import DossierStatus
from tests.factories import CampaignFactory, CommuneFactory, DossierFactory, WaveFactory

from .conftest import after, before, fresh_address, token_client

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ["/api/v1/public/campagnes", "/api/v1/public/vagues", "/api/v1/public/laureats", "/api/v1/public/reseau"]


# --- conditional GET -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_public_answer_carries_an_etag_and_a_matching_if_none_match_gets_304(world, url):
    first = Client().get(url)
    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert "must-revalidate" in first["Cache-Control"]
    second = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304 and second.content == b""
    assert Client().get(url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


def test_the_etag_changes_at_the_publication_so_a_cached_copy_is_not_kept(world):
    with time_machine.travel(before(world), tick=False):
        etag = Client().get("/api/v1/public/laureats")["ETag"]
    with time_machine.travel(after(world), tick=False):
        response = Client().get("/api/v1/public/laureats", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Ville L" in response.content.decode()


# --- CORS ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_endpoints_are_open_to_any_origin_without_credentials(world, url):
    response = Client().get(url, HTTP_ORIGIN="https://donnees.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_a_preflight_allows_get_only(world):
    response = Client().options(
        "/api/v1/public/laureats",
        HTTP_ORIGIN="https://donnees.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Methods"] == "GET, OPTIONS"
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("url", ["/api/v1/staff/dossiers", "/api/v1/openapi.json", "/api/documentation/", "/"])
def test_nothing_else_gets_cors_headers(world, url):
    response = token_client(world, "coordinator").get(url, HTTP_ORIGIN="https://donnees.example.org")
    assert "Access-Control-Allow-Origin" not in response


# --- rate limits -----------------------------------------------------------------------------------------------


def test_past_the_anonymous_limit_the_api_answers_a_french_429_with_retry_after(world, settings):
    settings.API_RATE_LIMITS = {"anonymous": "3/min", "token": "100/min"}
    client = Client(REMOTE_ADDR=fresh_address())
    assert [client.get("/api/v1/public/campagnes").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/public/campagnes")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json() == {"detail": f"Trop de requêtes : réessayez dans {refused['Retry-After']} s."}


def test_the_limit_is_counted_again_once_the_period_is_over(world, settings):
    settings.API_RATE_LIMITS = {"anonymous": "1/min", "token": "100/min"}
    client = Client(REMOTE_ADDR=fresh_address())
    client.get("/api/v1/public/campagnes")
    assert client.get("/api/v1/public/campagnes").status_code == 429
    with time_machine.travel(timedelta(seconds=61)):
        assert client.get("/api/v1/public/campagnes").status_code == 200


def test_tokens_have_their_own_limit_apart_from_anonymous_requests(world, settings):
    settings.API_RATE_LIMITS = {"anonymous": "1/min", "token": "2/min"}
    address = fresh_address()
    assert Client(REMOTE_ADDR=address).get("/api/v1/public/campagnes").status_code == 200
    assert Client(REMOTE_ADDR=address).get("/api/v1/public/campagnes").status_code == 429
    now = timezone.now()
    _token, key = issue_token(user=world.users["coordinator"], name="limite", valid_days=30, now=now)
    _other, other_key = issue_token(user=world.users["reviewer_x"], name="limite", valid_days=30, now=now)
    coordinator = Client(REMOTE_ADDR=address, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [coordinator.get("/api/v1/staff/dossiers").status_code for _ in range(3)] == [200, 200, 429]
    # Another person's token is counted apart.
    other = Client(REMOTE_ADDR=address, HTTP_AUTHORIZATION=f"Bearer {other_key}")
    assert other.get("/api/v1/staff/dossiers").status_code == 200


# --- query counts ----------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_rows(world, count):
    """More campaigns and waves, and more laureates (half with an antenna) in région X."""
    for index in range(count):
        WaveFactory(campaign=CampaignFactory(), number=1)
        dossier = DossierFactory(
            wave=world.past_wave,
            campaign=world.past_campaign,
            commune=CommuneFactory(departement=world.commune_a.departement),
            status=DossierStatus.LAUREATE,
            submitted_at=world.past_wave.opens_at,
            decided_at=world.past_wave.closes_at,
        )
        from network.models import Antenna

        if index % 2:
            Antenna.objects.create(dossier=dossier)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("anonymous", "/api/v1/public/campagnes"),
        ("anonymous", "/api/v1/public/vagues"),
        ("anonymous", "/api/v1/public/laureats"),
        ("anonymous", "/api/v1/public/reseau"),
        ("reviewer_x", "/api/v1/staff/dossiers"),
        ("coordinator", "/api/v1/staff/dossiers"),
        ("coordinator", "/api/v1/staff/suivi-evaluations"),
    ],
)
def test_list_queries_do_not_grow_with_the_rows(world, role, url):
    client = token_client(world, role)
    _queries(client, url)  # warm caches (content types, permissions)
    few = _queries(client, url)
    _more_rows(world, 6)
    assert _queries(client, url) == few
