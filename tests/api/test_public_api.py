"""The public endpoints: what they show around a publication instant (Paris time), their filters, pagination and
dates, and that they list exactly what the public results pages show."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from applications.states import DossierStatus
from cities.models import Programme, ProgrammeMembership
from tests.factories import (
    CampaignFactory,
    CommuneFactory,
    DepartementFactory,
    DossierFactory,
    RegionFactory,
    WaveFactory,
)

from .conftest import API_ROLES, after, before, token_client

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
PUBLIC = ["/api/v1/public/laureats", "/api/v1/public/reseau"]


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["items"]]


@pytest.mark.parametrize("role", API_ROLES)
@pytest.mark.parametrize("url", PUBLIC)
def test_a_laureate_is_absent_one_second_before_its_wave_is_published_whoever_asks(world, role, url):
    with time_machine.travel(before(world), tick=False):
        response = token_client(world, role).get(url)
    assert response.status_code == 200
    assert "Ville L" not in response.content.decode()
    assert names(response) == ["Ville C"]  # the laureate of the campaign published long ago


@pytest.mark.parametrize("role", API_ROLES)
@pytest.mark.parametrize("url", PUBLIC)
def test_a_laureate_appears_one_second_after_its_wave_is_published_for_everyone(world, role, url):
    with time_machine.travel(after(world), tick=False):
        response = token_client(world, role).get(url)
    assert sorted(names(response)) == ["Ville C", "Ville L"]


@pytest.mark.parametrize("role", API_ROLES)
def test_not_retained_dossiers_never_appear_in_public_data(world, role):
    with time_machine.travel(after(world), tick=False):
        text = token_client(world, role).get("/api/v1/public/laureats").content.decode()
    assert "Ville A" not in text and "AMI-A-0001" not in text


@pytest.mark.parametrize("moment", [before, after], ids=["before", "after"])
def test_the_waves_say_whether_they_are_published_at_the_instant_asked(world, moment):
    with time_machine.travel(moment(world), tick=False):
        rows = Client().get("/api/v1/public/vagues", {"campagne": "ami-ouvert"}).json()["items"]
    assert [(r["campaign"], r["number"], r["is_published"]) for r in rows] == [("ami-ouvert", 1, moment is after)]


def test_wave_dates_are_iso_8601_in_paris_time(db):
    wave = WaveFactory(
        campaign=CampaignFactory(slug="ami-dates"),
        number=1,
        opens_at=datetime(2026, 1, 5, 9, 0, tzinfo=PARIS),
        closes_at=datetime(2026, 7, 1, 12, 0, tzinfo=PARIS),
        publishes_at=datetime(2026, 9, 15, 10, 0, tzinfo=PARIS),
    )
    row = Client().get("/api/v1/public/vagues", {"campagne": wave.campaign.slug}).json()["items"][0]
    assert row["opens_at"] == "2026-01-05T09:00:00+01:00"
    assert row["closes_at"] == "2026-07-01T12:00:00+02:00"
    assert row["publishes_at"] == "2026-09-15T10:00:00+02:00"


def test_campaigns_are_listed_with_their_public_page(world):
    rows = Client().get("/api/v1/public/campagnes").json()["items"]
    assert {(r["slug"], r["page"]) for r in rows} == {
        ("ami-ouvert", "/appel/ami-ouvert/"),
        ("ami-publie", "/appel/ami-publie/"),
    }


# --- filters ---------------------------------------------------------------------------------------------------


@pytest.fixture
def published_wave(db):
    """A published wave with three laureates: Dijon (région 27, ACV), Belfort (région 27, TI), Lille (région 32)."""
    now = datetime(2026, 3, 1, tzinfo=PARIS)
    wave = WaveFactory(
        campaign=CampaignFactory(slug="ami-filtres", name="AMI filtres"),
        number=1,
        opens_at=now - timedelta(days=200),
        closes_at=now - timedelta(days=100),
        publishes_at=now - timedelta(days=50),
    )
    bourgogne = RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    hauts = RegionFactory(code="32", name="Hauts-de-France")
    places = [
        ("Dijon", bourgogne, "21", Programme.ACV),
        ("Belfort", bourgogne, "90", Programme.TI),
        ("Lille", hauts, "59", None),
    ]
    for index, (name, region, dep, programme) in enumerate(places):
        commune = CommuneFactory(
            name=name, insee_code=f"{dep}00{index}", departement=DepartementFactory(code=dep, region=region)
        )
        if programme:
            ProgrammeMembership.objects.create(programme=programme, commune=commune)
        DossierFactory(
            wave=wave,
            campaign=wave.campaign,
            commune=commune,
            status=DossierStatus.LAUREATE,
            decided_at=wave.closes_at + timedelta(days=1),
        )
    return wave


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Belfort", "Dijon", "Lille"]),
        ({"region": "27"}, ["Belfort", "Dijon"]),
        ({"programme": "acv"}, ["Dijon"]),
        ({"programme": "ti"}, ["Belfort"]),
        ({"departement": "59"}, ["Lille"]),
        ({"campagne": "ami-filtres", "vague": 1, "region": "32"}, ["Lille"]),
    ],
)
def test_laureates_filter_by_region_programme_departement_campaign_and_wave(published_wave, params, expected):
    response = Client().get("/api/v1/public/laureats", {"campagne": "ami-filtres", **params})
    assert sorted(names(response)) == expected


@pytest.mark.parametrize("params", [{"region": "27"}, {"programme": "ti"}, {}])
def test_laureates_are_exactly_those_of_the_public_results_page(published_wave, params):
    page = Client().get("/resultats/ami-filtres/", params)
    api = Client().get("/api/v1/public/laureats", {"campagne": "ami-filtres", **params})
    assert sorted(names(api)) == sorted(d.applicant_name for d in page.context["laureates"])


def test_the_network_filters_like_the_laureates(published_wave):
    response = Client().get("/api/v1/public/reseau", {"region": "27", "programme": "acv"})
    assert [(r["name"], r["status"], r["programmes"]) for r in response.json()["items"]] == [
        ("Dijon", "laureate", ["acv"])
    ]


def test_an_unknown_campaign_is_a_french_404(db):
    response = Client().get("/api/v1/public/laureats", {"campagne": "nulle-part"})
    assert response.status_code == 404
    assert response.json()["detail"] == "Introuvable (ou invisible avec ce jeton)."


def test_an_unknown_programme_is_a_french_422_naming_the_parameter(db):
    response = Client().get("/api/v1/public/laureats", {"programme": "xyz"})
    assert response.status_code == 422
    assert response.json()["detail"] == "Paramètres invalides : programme."


# --- pagination ------------------------------------------------------------------------------------------------


def test_pages_give_the_total_and_the_next_and_previous_addresses(published_wave):
    first = Client().get("/api/v1/public/laureats", {"page_size": 2}).json()
    assert first["count"] == 3 and len(first["items"]) == 2 and first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/public/laureats?page_size=2&page=2"
    second = Client().get(first["next"]).json()
    assert len(second["items"]) == 1 and second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/public/laureats?page_size=2&page=1"
