"""The ranking is ordered and paginated by the database; the dashboard counts with aggregates; both cost the same
number of queries at 1 and at many dossiers."""

import pytest
from django.urls import reverse

from applications.states import DossierStatus
from cities.models import Programme, ProgrammeMembership
from reviews import selectors
from reviews.models import Assignment
from tests.factories import CommuneFactory, DossierFactory, EpciFactory

from .factories import dossier_in, review

pytestmark = pytest.mark.django_db

RANKING = "admin:applications_dossier_ranking"
DASHBOARD = "admin:applications_dossier_dashboard"


def scored(world, reference, points, reviewer="reviewer_bfc"):
    dossier = dossier_in(world.bfc, wave=world.wave, reference=reference)
    review(dossier, world.users[reviewer], points)
    return dossier


# --- ranking -------------------------------------------------------------------------------------------------


def test_ranking_orders_by_the_mean_of_completed_reviews_as_the_page_shows_it(world):
    scored(world, "AMI-T-A", [5, 10])  # 20
    scored(world, "AMI-T-B", [1, 1])  # 2.67
    middle = scored(world, "AMI-T-C", [3, 6])  # 12
    review(middle, world.users["reviewer_bfc2"], [5, 10])  # mean (12 + 20) / 2 = 16

    rows = selectors.ranking(user=world.users["committee"], wave=world.wave)

    assert [(r.rank, r.dossier.reference, str(r.score.mean)) for r in rows[:3]] == [
        (1, "AMI-T-A", "20.00"),
        (2, "AMI-T-C", "16.00"),
        (3, "AMI-T-B", "2.67"),
    ]
    # Unscored dossiers come last, by reference.
    assert [r.dossier.reference for r in rows[3:]] == ["AMI-BFC-0001", "AMI-HDF-0001"]


def test_draft_reviews_do_not_move_a_dossier_in_the_ranking(world):
    scored(world, "AMI-T-A", [3, 6])  # 12
    weaker = scored(world, "AMI-T-B", [2, 4])  # 8
    review(weaker, world.users["reviewer_bfc2"], [5, 10], completed=False)

    rows = selectors.ranking(user=world.users["committee"], wave=world.wave)

    assert [r.dossier.reference for r in rows[:2]] == ["AMI-T-A", "AMI-T-B"]


def test_ranking_pages_carry_on_the_ranks(world):
    for index in range(5):
        scored(world, f"AMI-T-{index}", [5 - index, 10 - 2 * index])

    first = selectors.ranking_page(user=world.users["committee"], wave=world.wave, page=1, per_page=3)
    second = selectors.ranking_page(user=world.users["committee"], wave=world.wave, page=2, per_page=3)

    assert [(r.rank, r.dossier.reference) for r in first.object_list] == [
        (1, "AMI-T-0"),
        (2, "AMI-T-1"),
        (3, "AMI-T-2"),
    ]
    assert [r.rank for r in second.object_list] == [4, 5, 6]
    assert first.paginator.count == 7


def test_ranking_page_links_to_the_next_page(world, login, settings):
    for index in range(51):
        scored(world, f"AMI-T-{index:03d}", [3, 6])

    body = login(world.users["committee"]).get(reverse(RANKING, args=[world.wave.pk])).content.decode()

    assert 'href="?page=2" rel="next"' in body
    assert "Page 1 sur 2 (rangs 1 à 50 sur 53)" in body


def _ranking_queries(client, world, capture):
    with capture() as queries:
        assert client.get(reverse(RANKING, args=[world.wave.pk])).status_code == 200
    return len(queries)


def test_ranking_query_count_is_the_same_at_one_and_at_sixty_dossiers(world, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users["committee"])
    world.dossier_hdf.delete()
    review(world.dossier_bfc, world.users["reviewer_bfc"], [3, 6])
    at_one = _ranking_queries(client, world, lambda: CaptureQueriesContext(connection))
    for index in range(60):
        scored(world, f"AMI-T-{index:03d}", [index % 6, index % 11], reviewer="reviewer_bfc2")

    with django_assert_num_queries(at_one):
        client.get(reverse(RANKING, args=[world.wave.pk]))


# --- dashboard -----------------------------------------------------------------------------------------------


def test_dashboard_counts_programmes_of_communes_and_of_intercommunalities(world):
    acv = dossier_in(world.bfc, wave=world.wave, reference="AMI-T-ACV")
    ProgrammeMembership.objects.create(programme=Programme.ACV, commune=acv.commune, source="test")
    epci = EpciFactory()
    member = CommuneFactory(epci=epci)
    ProgrammeMembership.objects.create(programme=Programme.TI, commune=member, source="test")
    ProgrammeMembership.objects.create(programme=Programme.ACV, commune=CommuneFactory(epci=epci), source="test")
    both = DossierFactory(
        wave=world.wave,
        campaign=world.campaign,
        commune=None,
        epci=epci,
        region=world.bfc,
        status=DossierStatus.UNDER_REVIEW,
        reference="AMI-T-EPCI",
    )

    figures = selectors.dashboard(user=world.users["coordinator"])

    assert both.epci_id == epci.pk
    assert dict(figures["by_programme"]) == {
        "Action Cœur de Ville": 2,
        "Territoires d'industrie": 1,
        "Aucun programme": 3,
    }
    assert figures["total"] == 5


def test_dashboard_counts_each_dossier_once_per_status_wave_and_region(world):
    figures = selectors.dashboard(user=world.users["coordinator"])

    assert figures["total"] == 3
    assert dict(figures["by_region"]) == {"Bourgogne-Franche-Comté": 2, "Hauts-de-France": 1}
    assert dict(figures["by_wave"]) == {str(world.wave): 3}
    assert sum(count for _label, count in figures["by_status"]) == 3


def test_reviewer_progress_counts_assignments_and_reviews_separately(world):
    from django.utils import timezone

    reviewer = world.users["reviewer_bfc"]
    for index in range(3):
        dossier = dossier_in(world.bfc, wave=world.wave, reference=f"AMI-T-{index}")
        Assignment.objects.create(dossier=dossier, reviewer=reviewer, assigned_at=timezone.now())
        review(dossier, reviewer, [3, 6], completed=index < 2)

    progress = {row["reviewer"].email: row for row in selectors.reviewer_progress(user=world.users["coordinator"])}

    row = progress[reviewer.email]
    assert (row["assigned"], row["completed"], row["drafts"], row["pending"]) == (3, 2, 1, 1)


def test_dashboard_query_count_is_the_same_at_one_and_at_sixty_dossiers(world, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users["coordinator"])
    world.dossier_hdf.delete()
    world.draft_bfc.delete()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(DASHBOARD))
    for index in range(60):
        scored(world, f"AMI-T-{index:03d}", [3, 6], reviewer=("reviewer_bfc", "reviewer_bfc2")[index % 2])

    with django_assert_num_queries(len(queries)):
        client.get(reverse(DASHBOARD))


# --- review form and dossier list ----------------------------------------------------------------------------


def test_review_form_query_count_does_not_grow_with_the_criteria(world, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reviews.models import Criterion, Score

    draft = review(world.dossier_bfc, world.users["reviewer_bfc"], [3, None], completed=False)
    client = login(world.users["reviewer_bfc"])
    url = reverse("admin:reviews_review_change", args=[draft.pk])
    client.get(url)  # fills the per-process caches (content types) that a test run alone finds cold
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    grid = world.campaign.scoring_grid
    for position in range(2, 8):
        criterion = Criterion.objects.create(grid=grid, label=f"Critère {position + 1}", position=position)
        Score.objects.create(review=draft, criterion=criterion, points=2)

    with django_assert_max_num_queries(len(queries)):
        body = client.get(url).content.decode()
    assert "Critère 8" in body and len(queries) <= 20


def test_dossier_list_wave_filter_reads_every_wave_in_one_query(world, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import WaveFactory

    client = login(world.users["coordinator"])
    url = reverse("admin:applications_dossier_changelist")
    client.get(url)  # the first page after a log-in stamps the session (ami_portal/sessions.py)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for _ in range(4):
        wave = WaveFactory(
            opens_at=world.wave.opens_at, closes_at=world.wave.closes_at, publishes_at=world.wave.publishes_at
        )
        dossier_in(world.bfc, wave=wave)

    with django_assert_num_queries(len(queries)):
        body = client.get(url).content.decode()
    assert str(wave) in body


@pytest.mark.parametrize("points", [[1, 1], [3, 6], [2, 7], [4, 3], [5, 9], [0, 0]])
def test_database_mean_used_for_ordering_equals_the_score_shown(world, points):
    dossier = scored(world, "AMI-T-X", points)
    review(dossier, world.users["reviewer_bfc2"], [points[1] % 6, points[0]])
    review(dossier, world.users["reviewer_hdf"], [2, None], completed=False)

    ranked = selectors.ranked_dossiers(user=world.users["committee"], wave=world.wave).get(pk=dossier.pk)

    assert (
        ranked.score_mean
        == selectors.score_of(selectors.dossiers_for_staff(world.users["committee"]).get(pk=dossier.pk)).mean
    )
