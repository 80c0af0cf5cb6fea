"""Commune and EPCI search: accent-insensitive names, postal and INSEE codes, ranking."""

import pytest

from cities.selectors import search_communes, search_epcis
from tests.factories import CommuneFactory, DepartementFactory, EpciFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    saone = DepartementFactory(code="71", name="Saône-et-Loire")
    marne = DepartementFactory(code="51", name="Marne")
    return {
        "chalon": CommuneFactory(
            insee_code="71076", name="Chalon-sur-Saône", departement=saone, postal_codes=["71100"], population=45102
        ),
        "chardonnay": CommuneFactory(
            insee_code="71100", name="Chardonnay", departement=saone, postal_codes=["71700"], population=207
        ),
        "lux": CommuneFactory(
            insee_code="71269", name="Lux", departement=saone, postal_codes=["71100"], population=1885
        ),
        "chalons": CommuneFactory(
            insee_code="51108", name="Châlons-en-Champagne", departement=marne, postal_codes=["51000"], population=44000
        ),
        "saint_small": CommuneFactory(
            insee_code="71400", name="Saint-Vallerin", departement=saone, postal_codes=["71390"], population=300
        ),
        "saint_big": CommuneFactory(
            insee_code="71450", name="Saint-Marcel", departement=saone, postal_codes=["71380"], population=5800
        ),
        "has_saint_inside": CommuneFactory(
            insee_code="71500",
            name="Toutes-Saintes-les-Bois",
            departement=saone,
            postal_codes=["71500"],
            population=90000,
        ),
    }


def _names(query, **kwargs):
    return [c.name for c in search_communes(query, **kwargs)]


def test_name_without_accents_or_hyphens_finds_the_commune_first(places):
    assert _names("chalon sur saone")[0] == "Chalon-sur-Saône"
    assert _names("CHALON-SUR-SAÔNE")[0] == "Chalon-sur-Saône"


def test_every_word_must_appear_in_any_order(places):
    assert _names("saone chalon") == ["Chalon-sur-Saône"]


def test_postal_code_finds_all_its_communes_most_populous_first(places):
    assert _names("71100") == ["Chalon-sur-Saône", "Lux", "Chardonnay"]


def test_insee_code_finds_the_commune(places):
    assert _names("71076") == ["Chalon-sur-Saône"]


def test_name_prefix_ranks_before_inner_match_then_population(places):
    assert _names("saint") == ["Saint-Marcel", "Saint-Vallerin", "Toutes-Saintes-les-Bois"]


def test_st_abbreviation_means_saint(places):
    assert _names("st marcel") == ["Saint-Marcel"]


def test_label_with_departement_narrows_the_search(places):
    assert _names("Chalon-sur-Saône (71)") == ["Chalon-sur-Saône"]
    assert _names("Chalon-sur-Saône (51)") == []


def test_results_are_limited(places):
    assert len(_names("71", limit=2)) == 2


def test_empty_or_punctuation_only_query_finds_nothing(places):
    assert _names("") == [] and _names(" - ") == []


def test_search_is_available_on_the_queryset(places):
    from cities.models import Commune

    assert [c.name for c in Commune.objects.filter(population__gt=1000).search("71100")] == ["Chalon-sur-Saône", "Lux"]


def test_epci_search_by_name_and_siren():
    EpciFactory(siren="247100589", name="CA Le Grand Chalon")
    EpciFactory(siren="200070993", name="CA de la Baie de Somme")
    assert [e.name for e in search_epcis("grand chalon")] == ["CA Le Grand Chalon"]
    assert [e.name for e in search_epcis("2000709")] == ["CA de la Baie de Somme"]
    assert [e.name for e in search_epcis("baie somme")] == ["CA de la Baie de Somme"]


@pytest.mark.parametrize(
    "query",
    [
        "Communauté d'agglomération Bergeracoise",
        "communaute d agglomeration bergeracoise",
        "CA Bergeracoise",
        "Communauté d’agglomération de la Bergeracoise",
        "bergeracoise",
    ],
)
def test_epci_search_understands_long_and_short_legal_forms(query):
    EpciFactory(siren="200040392", name="CA Bergeracoise", kind="CA")
    EpciFactory(siren="242400752", name="CC Bastides Dordogne-Périgord", kind="CC")
    assert [e.name for e in search_epcis(query)] == ["CA Bergeracoise"]


def test_epci_search_by_long_form_keeps_to_that_legal_form():
    EpciFactory(siren="200040392", name="CA Bergeracoise", kind="CA")
    EpciFactory(siren="200040393", name="CC Bergeracoise imaginaire", kind="CC")
    assert [e.name for e in search_epcis("Communauté de communes Bergeracoise")] == ["CC Bergeracoise imaginaire"]
    assert [e.name for e in search_epcis("Communauté urbaine de Dunkerque")] == []


def test_epci_search_for_a_metropole_by_its_name():
    EpciFactory(siren="200023414", name="Métropole Rouen Normandie", kind="METRO")
    assert [e.name for e in search_epcis("Rouen Métropole")] == ["Métropole Rouen Normandie"]
    assert [e.name for e in search_epcis("metropole-rouen")] == ["Métropole Rouen Normandie"]
