"""The ranking shows each candidate's distance to the nearest antenna open or being opened, and can put the
dossiers farthest from the network first (where it is thinnest), on real coordinates."""

from datetime import date

import pytest
from django.urls import reverse

from applications.states import DossierStatus
from network.models import Antenna
from reviews import selectors
from tests.factories import CommuneFactory, DossierFactory, EpciFactory

from .factories import dossier_in

LYON = (45.7640, 4.8357)
PARIS = (48.8566, 2.3522)
MARSEILLE = (43.2965, 5.3698)


@pytest.fixture
def network(world):
    """An open antenna in Lyon; candidates in Paris (≈ 392 km away), Marseille (≈ 278 km), an EPCI around
    Marseille, and one without coordinates."""
    lyon = dossier_in(world.bfc, wave=world.wave, reference="AMI-LYON")
    lyon.commune.latitude, lyon.commune.longitude = LYON
    lyon.commune.save()
    Antenna.objects.create(dossier=lyon, convention_signed_on=date(2020, 1, 6), opened_on=date(2020, 9, 1))
    for reference, (lat, lon) in (("AMI-PARIS", PARIS), ("AMI-MARSEILLE", MARSEILLE)):
        dossier = dossier_in(world.bfc, wave=world.wave, reference=reference)
        dossier.commune.latitude, dossier.commune.longitude = lat, lon
        dossier.commune.save()
    epci = EpciFactory()
    CommuneFactory(epci=epci, latitude=MARSEILLE[0] + 0.1, longitude=MARSEILLE[1])
    CommuneFactory(epci=epci, latitude=MARSEILLE[0] - 0.1, longitude=MARSEILLE[1])
    DossierFactory(
        wave=world.wave,
        campaign=world.wave.campaign,
        commune=None,
        epci=epci,
        region=world.bfc,
        status=DossierStatus.UNDER_REVIEW,
        reference="AMI-EPCI",
    )
    return world


def _rows(world, **kwargs):
    return {r.dossier.reference: r for r in selectors.ranking(user=world.users["committee"], wave=world.wave, **kwargs)}


def test_each_row_shows_its_nearest_antenna_in_km(network):
    rows = _rows(network)
    assert rows["AMI-PARIS"].nearest_antenna.km == pytest.approx(392, abs=1)
    assert rows["AMI-MARSEILLE"].nearest_antenna.km == pytest.approx(278, abs=1)
    assert rows["AMI-EPCI"].nearest_antenna.km == pytest.approx(278, abs=1)  # the mean of its communes' places
    assert rows["AMI-LYON"].nearest_antenna is None  # its own antenna does not count


def test_farthest_from_the_network_first_then_those_without_a_place(network):
    ordered = list(_rows(network, sort="distance"))
    assert ordered.index("AMI-PARIS") < ordered.index("AMI-MARSEILLE")
    assert ordered.index("AMI-PARIS") < ordered.index("AMI-EPCI")
    assert ordered[-1] in {"AMI-LYON", "AMI-BFC-0001", "AMI-HDF-0001"}  # no distance: last


def test_ranking_page_offers_the_distance_order_and_column_in_french(network, client):
    client.force_login(network.users["committee"])
    url = reverse("admin:applications_dossier_ranking", kwargs={"wave_id": network.wave.pk})
    body = client.get(url, {"sort": "distance"}, HTTP_ACCEPT_LANGUAGE="fr").text
    assert "<strong>Les plus loin du réseau d’abord</strong>" in body
    assert "Antenne la plus proche" in body and "392 km" in body


def test_distance_order_costs_the_same_queries_whatever_the_number_of_dossiers(network):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            selectors.ranking(user=network.users["committee"], wave=network.wave, sort="distance")
        return len(queries)

    count()  # the first call also fills per-user caches (roles, permissions)
    before = count()
    for number in range(6):
        dossier = dossier_in(network.bfc, wave=network.wave, reference=f"AMI-MORE-{number}")
        dossier.commune.latitude, dossier.commune.longitude = PARIS
        dossier.commune.save()
    assert count() == before
