"""Programme membership selectors: applicant_memberships and with_programmes (no N+1)."""

import pytest

from cities.models import Commune, Programme, ProgrammeMembership
from cities.selectors import applicant_memberships, with_programmes
from tests.factories import CommuneFactory, DossierFactory, EpciFactory

pytestmark = pytest.mark.django_db


def _member(commune, programme):
    return ProgrammeMembership.objects.create(commune=commune, programme=programme, source="test")


def test_applicant_memberships_of_a_commune_are_its_own_acv_first():
    commune, neighbour = CommuneFactory(), CommuneFactory()
    _member(commune, Programme.TI)
    _member(commune, Programme.ACV)
    _member(neighbour, Programme.ACV)
    assert [m.programme for m in applicant_memberships(commune=commune.pk)] == [Programme.ACV, Programme.TI]


def test_applicant_memberships_of_an_epci_are_those_of_any_of_its_communes():
    epci = EpciFactory()
    member, other = CommuneFactory(epci=epci), CommuneFactory(epci=epci)
    outside = CommuneFactory()
    _member(member, Programme.TI)
    _member(outside, Programme.ACV)
    assert [(m.commune, m.programme) for m in applicant_memberships(epci=epci.pk)] == [(member, Programme.TI)]
    assert other.memberships.count() == 0


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


def test_with_programmes_gives_an_epci_dossier_the_programmes_of_its_communes():
    epci = EpciFactory()
    _member(CommuneFactory(epci=epci), Programme.TI)
    dossier = DossierFactory(commune=None, epci=epci)
    annotated = type(dossier).objects.with_programmes().get(pk=dossier.pk)
    assert annotated.programme_codes == [Programme.TI]


def test_with_programmes_does_not_give_a_commune_dossier_its_epci_neighbours_programmes():
    epci = EpciFactory()
    _member(CommuneFactory(epci=epci), Programme.TI)
    dossier = DossierFactory(commune=CommuneFactory(epci=epci))
    assert type(dossier).objects.with_programmes().get(pk=dossier.pk).programme_codes == []
