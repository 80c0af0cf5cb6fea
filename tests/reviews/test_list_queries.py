"""The admin lists cost the same number of queries at 3 and at 30 rows (no N+1), 50 rows per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.admin.dossier import DossierAdmin

from .factories import dossier_in, review

pytestmark = pytest.mark.django_db


def _fill(world, rows: int):
    for index in range(rows):
        dossier = dossier_in(world.bfc, wave=world.wave, reference=f"AMI-Q-{index:04d}")
        review(dossier, world.users["reviewer_bfc"], [3, 6])
        review(dossier, world.users["reviewer_bfc2"], [4, None], completed=False)


def _count(client, url) -> int:
    client.get(url)  # the first page after a log-in stamps the session (ami_portal/sessions.py)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["reviewer_bfc", "coordinator"])
@pytest.mark.parametrize("url_name", ["admin:applications_dossier_changelist", "admin:reviews_review_changelist"])
def test_list_query_count_does_not_grow_with_rows(world, login, django_assert_num_queries, role, url_name):
    client = login(world.users[role])
    url = reverse(url_name)
    _fill(world, 3)
    at_three = _count(client, url)
    _fill_more = 27
    for index in range(_fill_more):
        dossier = dossier_in(world.bfc, wave=world.wave, reference=f"AMI-R-{index:04d}")
        review(dossier, world.users["reviewer_bfc"], [3, 6])
    with django_assert_num_queries(at_three):
        page = client.get(url).content.decode()
    assert "AMI-R-0026" in page  # the rows added are really listed


def test_ranking_and_dashboard_query_counts_do_not_grow_with_rows(world, login, django_assert_num_queries):
    client = login(world.users["coordinator"])
    urls = [
        reverse("admin:applications_dossier_ranking", args=[world.wave.pk]),
        reverse("admin:applications_dossier_dashboard"),
    ]
    _fill(world, 3)
    counts = [_count(client, url) for url in urls]
    for index in range(27):
        dossier = dossier_in(world.bfc, wave=world.wave, reference=f"AMI-R-{index:04d}")
        review(dossier, world.users["reviewer_bfc"], [3, 6])
    for url, expected in zip(urls, counts, strict=True):
        with django_assert_num_queries(expected):
            client.get(url)


def test_the_dossier_list_shows_50_rows_per_page():
    assert DossierAdmin.list_per_page == 50
