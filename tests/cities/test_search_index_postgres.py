"""On PostgreSQL the commune search is answered by the trigram index on ``search_name`` (migration 0003): the
query filters on exactly the indexed column (``search_name LIKE '%…%'``), not on an expression of it."""

import pytest
from django.db import connection

from cities.selectors import search_communes
from tests.factories import CommuneFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TRIGRAM_INDEX = "cities_commune_search_name_trgm"


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cities_commune")
        # A test table is tiny: forbid full scans (sequential, or along an unrelated index) so the plan shows
        # whether an index *can* answer the search condition.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def communes():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm indexes exist on PostgreSQL only.")
    for index in range(200):
        CommuneFactory(name=f"Village {index:03d}")
    CommuneFactory(name="Chalon-sur-Saône")


@pytest.mark.parametrize("query", ["chalon", "Chalon sur Saône", "CHÂLON"])
def test_commune_name_search_uses_the_trigram_index(communes, query):
    plan = _plan(search_communes(query))

    assert TRIGRAM_INDEX in plan, plan
    assert [c.name for c in search_communes(query)] == ["Chalon-sur-Saône"]


def test_postal_code_search_uses_the_postal_code_trigram_index(communes):
    """A postal code that is not a commune's first one ("% 71100%") is found through the index of migration 0004,
    not by reading every commune."""
    CommuneFactory(name="Saint-Rémy", postal_codes=["71099", "71100"])
    plan = _plan(search_communes("71100"))

    assert "cities_commune_postal_codes_text_trgm" in plan, plan
    assert [c.name for c in search_communes("71100")] == ["Saint-Rémy"]
