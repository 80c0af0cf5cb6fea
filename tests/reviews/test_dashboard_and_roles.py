"""The dashboard (figures and accessible SVG charts) and the staff roles created by the migration."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role

from .factories import review

pytestmark = pytest.mark.django_db


def _perms(role):
    return set(Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename"))


def test_every_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_coordinators_see_every_region_and_decide():
    assert {("applications", "view_all_dossiers"), ("applications", "decide_dossier")} <= _perms(Role.COORDINATOR)


def test_regional_reviewers_neither_see_every_region_nor_decide():
    perms = _perms(Role.REGIONAL_REVIEWER)
    assert ("applications", "view_dossier") in perms
    assert not {("applications", "view_all_dossiers"), ("applications", "decide_dossier")} & perms


def test_committee_members_read_but_do_not_decide():
    perms = _perms(Role.COMMITTEE)
    assert ("applications", "view_all_dossiers") in perms and ("applications", "decide_dossier") not in perms


def test_press_and_administrators_get_no_dossier_permission():
    for role in (Role.PRESS, Role.ADMINISTRATOR):
        assert not {p for p in _perms(role) if p[1].endswith("dossier") or p[1].endswith("dossiers")}


def test_dashboard_shows_an_accessible_svg_chart_with_a_data_table(world, login):
    body = login(world.users["coordinator"]).get(reverse("admin:applications_dossier_dashboard")).content.decode()
    assert '<svg class="reviews-chart" role="img"' in body and "<title id=" in body and "<desc id=" in body
    svg = body.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<table" in body and "style=" not in svg
    # Coordinates are written the SVG way (1.5), never in the reader's locale (1,5).
    assert not re.search(r'(x|y|width|height)="[0-9]+,', svg)


def test_dashboard_of_a_reviewer_counts_only_their_regions_dossiers(world, login):
    response = login(world.users["reviewer_hdf"]).get(reverse("admin:applications_dossier_dashboard"))
    figures = response.context["figures"]
    assert figures["total"] == 1 and figures["by_region"] == [("Hauts-de-France", 1)]


def test_dashboard_of_a_reviewer_shows_only_their_own_progress(world, login):
    review(world.dossier_bfc, world.users["reviewer_bfc2"], [3, 3])
    response = login(world.users["reviewer_bfc"]).get(reverse("admin:applications_dossier_dashboard"))
    assert [row["reviewer"] for row in response.context["progress"]] == [world.users["reviewer_bfc"]]


def test_dashboard_shows_each_reviewers_progress_to_coordinators(world, login):
    review(world.dossier_bfc, world.users["reviewer_bfc2"], [3, 3])
    response = login(world.users["coordinator"]).get(reverse("admin:applications_dossier_dashboard"))
    completed = {row["reviewer"].email: row["completed"] for row in response.context["progress"]}
    assert completed["relecteur2.bfc@example.fr"] == 1 and completed["relecteur.bfc@example.fr"] == 0


def test_ranking_keeps_each_dossier_reference_on_one_line(world, login):
    response = login(world.users["coordinator"]).get(
        reverse("admin:applications_dossier_ranking", args=[world.wave.pk])
    )
    assert '<td class="reviews-nowrap"><a' in response.content.decode()
