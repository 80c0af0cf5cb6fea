"""Who sees which dossier is asked without a join that repeats rows, hence without DISTINCT over every column."""

import pytest

from applications.models import Dossier, DossierMember
from tests.factories import DossierFactory, RegionFactory, UserFactory, reviewer

pytestmark = pytest.mark.django_db


def test_visible_dossiers_of_an_official_need_no_distinct():
    official = UserFactory()
    assert "DISTINCT" not in str(Dossier.objects.visible_to(official).query).upper()
    assert "DISTINCT" not in str(Dossier.objects.editable_by(official).query).upper()


def test_visible_dossiers_of_a_reviewer_need_no_distinct():
    assert "DISTINCT" not in str(Dossier.objects.visible_to(reviewer(RegionFactory())).query).upper()


def test_owner_who_is_also_listed_as_co_editor_sees_the_dossier_once():
    dossier = DossierFactory()
    DossierMember.objects.create(dossier=dossier, user=dossier.owner)
    colleague = UserFactory()
    DossierMember.objects.create(dossier=dossier, user=colleague)

    assert list(Dossier.objects.visible_to(dossier.owner)) == [dossier]
    assert list(Dossier.objects.editable_by(dossier.owner)) == [dossier]
    assert list(Dossier.objects.visible_to(colleague)) == [dossier]
