"""The real shipped data, loaded whole: official counts, idempotence, updates, programme membership, search.

One slow test (about 5 s on SQLite) because loading 35k communes once is the point.
"""

import pytest
from django.db import connection

from cities.models import Commune, Departement, Epci, Programme, ProgrammeMembership, Region
from cities.selectors import search_communes
from cities.services import load_territories

# What @etalab/decoupage-administratif 6.0.0 lists (overseas collectivities included).
COMMUNES, DEPARTEMENTS, REGIONS, EPCI = 34_969, 109, 26, 1_255
ACV_COMMUNES, TI_COMMUNES = 245, 16_151


@pytest.mark.slow
@pytest.mark.django_db
def test_full_load_is_complete_idempotent_and_updates_changes():
    first = load_territories()
    assert (Commune.objects.count(), Departement.objects.count(), Region.objects.count(), Epci.objects.count()) == (
        COMMUNES,
        DEPARTEMENTS,
        REGIONS,
        EPCI,
    )
    assert first["communes"].created == COMMUNES
    assert Commune.objects.filter(departement__code="976").exists()  # Mayotte
    assert Region.objects.filter(code="988", name="Nouvelle-Calédonie").exists()

    chalon = Commune.objects.select_related("epci").get(insee_code="71076")
    assert (chalon.name, chalon.postal_codes, chalon.epci.name) == ("Chalon-sur-Saône", ["71100"], "CA Le Grand Chalon")
    assert chalon.latitude == pytest.approx(46.79, abs=0.05)
    assert ProgrammeMembership.objects.filter(programme=Programme.ACV).count() == ACV_COMMUNES
    assert ProgrammeMembership.objects.filter(programme=Programme.TI).count() == TI_COMMUNES
    assert (
        ProgrammeMembership.objects.filter(programme=Programme.ACV, commune__insee_code__in=["71076", "80001"]).count()
        == 2
    )

    second = load_territories()
    assert all(c.created == 0 and c.updated == 0 for c in second.values())

    Commune.objects.filter(insee_code="71076").update(name="Chalon", population=1)
    third = load_territories()
    chalon.refresh_from_db()
    assert (chalon.name, chalon.search_name, chalon.population) == ("Chalon-sur-Saône", "chalon sur saone", 45102)
    assert (third["communes"].updated, third["communes"].unchanged) == (1, COMMUNES - 1)


@pytest.mark.slow
@pytest.mark.django_db
def test_search_on_the_real_data():
    load_territories(programmes=False)
    assert search_communes("chalon sur saone")[0].insee_code == "71076"
    assert search_communes("71100")[0].insee_code == "71076"
    assert [c.insee_code for c in search_communes("71076")] == ["71076"]
    saints = list(search_communes("saint", limit=5))
    biggest = Commune.objects.filter(search_name__startswith="saint").order_by("-population").first()
    assert saints[0] == biggest
    assert [c.population for c in saints] == sorted((c.population for c in saints), reverse=True)


@pytest.mark.postgres
@pytest.mark.django_db
def test_trigram_index_exists_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL-only; SQLite scans the table")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'cities_commune_search_name_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]
