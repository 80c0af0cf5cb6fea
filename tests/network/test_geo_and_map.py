"""Distances on real coordinates, the coverage panel's figures, and places on the France map."""

from datetime import date

import pytest

from applications.states import DossierStatus
from network import maps
from network.coverage import dossier_coverage
from network.geo import haversine_km
from network.models import CnamCentre
from tests.factories import CommuneFactory, DepartementFactory, DossierFactory, EpciFactory, WaveFactory

from .conftest import antenna, laureate

PARIS, LYON, MARSEILLE = (48.8566, 2.3522), (45.7640, 4.8357), (43.2965, 5.3698)


@pytest.mark.parametrize("a, b, km", [(PARIS, LYON, 392), (PARIS, MARSEILLE, 660), (LYON, PARIS, 392)])
def test_great_circle_distances_match_hand_checked_pairs(a, b, km):
    assert haversine_km(a, b) == pytest.approx(km, abs=1)


def test_distance_to_itself_is_zero():
    assert haversine_km(LYON, LYON) == 0


@pytest.mark.django_db
def test_coverage_gives_nearest_open_antenna_centre_population_and_programmes(wave, chalon, quimper):
    from cities.models import ProgrammeMembership

    ProgrammeMembership.objects.create(programme="acv", commune=chalon, source="test")
    antenna(laureate(wave, commune=quimper), convention_signed_on=date(2020, 1, 1), opened_on=date(2020, 6, 1))
    lyon = CommuneFactory(insee_code="69123", name="Lyon", latitude=LYON[0], longitude=LYON[1])
    CnamCentre.objects.create(name="Cnam Lyon", commune=lyon)
    CnamCentre.objects.create(name="Cnam fermé", commune=chalon, is_active=False)
    candidate = DossierFactory(commune=chalon, status=DossierStatus.SUBMITTED)
    coverage = dossier_coverage(candidate, today=date(2022, 1, 1))
    assert coverage.nearest_antenna.name == "Quimper"
    assert coverage.nearest_antenna.km == pytest.approx(687.2, abs=0.1)
    assert (coverage.nearest_centre.name, coverage.nearest_centre.km) == ("Cnam Lyon", pytest.approx(113.1, abs=0.2))
    assert (coverage.population, coverage.programmes) == (45000, ["Action Cœur de Ville"])


@pytest.mark.django_db
def test_closed_antennas_are_not_part_of_the_coverage(wave, chalon, quimper):
    antenna(
        laureate(wave, commune=quimper),
        convention_signed_on=date(2020, 1, 1),
        opened_on=date(2020, 6, 1),
        closed_on=date(2021, 1, 1),
        interruption_reason="Fin du partenariat",
    )
    coverage = dossier_coverage(DossierFactory(commune=chalon, status=DossierStatus.SUBMITTED), today=date(2022, 1, 1))
    assert coverage.nearest_antenna is None


@pytest.mark.django_db
def test_an_epci_is_placed_at_the_mean_of_its_communes_and_counts_their_population():
    epci = EpciFactory()
    CommuneFactory(epci=epci, latitude=46.0, longitude=4.0, population=1000)
    CommuneFactory(epci=epci, latitude=48.0, longitude=6.0, population=500)
    centre = CommuneFactory(latitude=47.0, longitude=5.0)
    CnamCentre.objects.create(name="Au centre", commune=centre)
    dossier = DossierFactory(commune=None, epci=epci, wave=WaveFactory(), status=DossierStatus.SUBMITTED)
    coverage = dossier_coverage(dossier, today=date(2022, 1, 1))
    assert coverage.population == 1500
    assert coverage.nearest_centre.km < 1


def test_paris_lands_in_the_drawing_of_paris():
    centroid = maps.departement_centroids()["75"]
    x, y = maps.project(*PARIS)
    assert abs(x - centroid[0]) < 6 and abs(y - centroid[1]) < 6


def test_brest_is_west_of_strasbourg_and_marseille_south_of_lille():
    brest, strasbourg = maps.project(48.3904, -4.4861), maps.project(48.5734, 7.7521)
    marseille, lille = maps.project(*MARSEILLE), maps.project(50.6292, 3.0573)
    width, _height = maps._size()
    assert brest[0] < 60 and strasbourg[0] > width - 110
    assert marseille[1] > lille[1] + 400


@pytest.mark.django_db
def test_an_overseas_commune_goes_into_its_inset():
    commune = CommuneFactory(
        departement=DepartementFactory(code="974", name="La Réunion"), latitude=-20.88, longitude=55.45
    )
    marker = maps.commune_marker(commune, label="Saint-Denis")
    inset = next(i for i in maps.insets() if i.code == "974")
    assert inset.x <= marker.x <= inset.x + inset.width and inset.y <= marker.y <= inset.y + inset.height


@pytest.mark.django_db
def test_a_commune_without_coordinates_goes_to_its_departement_centroid():
    commune = CommuneFactory(departement=DepartementFactory(code="75", name="Paris"), latitude=None, longitude=None)
    marker = maps.commune_marker(commune, label="Paris")
    assert (marker.x, marker.y) == maps.departement_centroids()["75"]


def test_the_drawing_carries_its_attribution():
    assert "CC BY 4.0" in maps.drawing()["attribution"]
    assert len(maps.drawing()["departements"]) == 96
