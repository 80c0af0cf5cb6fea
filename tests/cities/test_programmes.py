"""Programme membership selectors: programmes_of and with_programmes (no N+1)."""

import pytest

from cities.models import Commune, Programme, ProgrammeMembership
from cities.selectors import programmes_of, with_programmes
from tests.factories import CommuneFactory, DossierFactory

pytestmark = pytest.mark.django_db


def _member(commune, programme):
    return ProgrammeMembership.objects.create(commune=commune, programme=programme, source="test")


def test_programmes_of_lists_memberships_acv_first():
    commune = CommuneFactory()
    _member(commune, Programme.TI)
    _member(commune, Programme.ACV)
    assert [m.programme for m in programmes_of(commune)] == [Programme.ACV, Programme.TI]


def test_with_programmes_flags_each_commune():
    acv, ti, none = CommuneFactory(), CommuneFactory(), CommuneFactory()
    _member(acv, Programme.ACV)
    _member(ti, Programme.TI)
    flags = {c.pk: (c.is_acv, c.is_ti) for c in with_programmes(Commune.objects.all())}
    assert flags == {acv.pk: (True, False), ti.pk: (False, True), none.pk: (False, False)}


@pytest.mark.parametrize("rows", [1, 5])
def test_with_programmes_costs_one_query_whatever_the_number_of_rows(django_assert_num_queries, rows):
    for commune in CommuneFactory.create_batch(rows):
        _member(commune, Programme.ACV)
    with django_assert_num_queries(1):
        assert all(c.is_acv for c in with_programmes(Commune.objects.all()))


def test_with_programmes_follows_a_commune_field_of_another_model():
    dossier = DossierFactory()
    _member(dossier.commune, Programme.TI)
    annotated = with_programmes(type(dossier).objects.all(), commune_field="commune").get()
    assert (annotated.is_acv, annotated.is_ti) == (False, True)
