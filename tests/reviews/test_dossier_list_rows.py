"""The dossier list draws its rows itself (reviews/admin/rows.py) for speed: the table must stay Django's, byte for
byte (the admin's script selects rows by its markup; the accessibility tests read its labels)."""

import pytest
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.urls import reverse

from reviews.admin import rows

from .factories import dossier_in, review

pytestmark = pytest.mark.django_db


def _djangos_rows(cl) -> list[str]:
    return ["".join(items_for_result(cl, result, None)) for result in cl.result_list]


def _our_rows(cl) -> list[str]:
    return ["".join(row) for row in rows.rows(cl)]


@pytest.mark.parametrize("role", ["reviewer_bfc", "coordinator"])
@pytest.mark.parametrize("query", ["", "?o=3", "?region={region}&o=-5", "?q=AMI"])
def test_the_rows_are_djangos_markup(world, login, role, query):
    for index in range(3):
        dossier = dossier_in(world.bfc, wave=world.wave, reference=f"AMI-T-{index}")
        review(dossier, world.users["reviewer_bfc"], [3, 6])
        review(dossier, world.users["reviewer_bfc2"], [4, None], completed=False)
    dossier.commune.name = 'Saint-Jean "<les>" & Bains'
    dossier.commune.save()
    url = reverse("admin:applications_dossier_changelist") + query.format(region=world.bfc.pk)

    response = login(world.users[role]).get(url)
    cl = response.context["cl"]

    assert len(cl.result_list) >= 3
    assert _our_rows(cl) == _djangos_rows(cl)
    assert _our_rows(cl)[0] in response.content.decode()


def test_a_popup_list_keeps_djangos_code(world, login):
    dossier_in(world.bfc, wave=world.wave, reference="AMI-T-9")
    response = login(world.users["coordinator"]).get(reverse("admin:applications_dossier_changelist") + "?_popup=1")
    cl = response.context["cl"]

    assert cl.is_popup and _our_rows(cl) == _djangos_rows(cl)
