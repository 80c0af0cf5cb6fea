"""Review.score: the completed review's score, stored once at completion, is what the ranking, the spreads, the
calibration and the dashboard aggregate; it must always equal scoring.review_score of the review's scores."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from applications.states import DossierStatus
from cities.models import Programme, ProgrammeMembership
from cities.selectors import programmes_of_applicants
from reviews import selectors, services
from reviews.calibration import campaign_calibration
from reviews.models import Review, Score
from reviews.scoring import review_score
from tests.factories import CommuneFactory, DossierFactory, EpciFactory

from .factories import dossier_in, review

pytestmark = pytest.mark.django_db


def scored(world, reference, points, reviewer="reviewer_bfc"):
    dossier = dossier_in(world.bfc, wave=world.wave, reference=reference)
    review(dossier, world.users[reviewer], points)
    return dossier


def test_completing_a_review_stores_the_score_computed_from_its_scores(world):
    reviewer = world.users["reviewer_bfc"]
    draft = services.start_review(dossier=world.dossier_bfc, reviewer=reviewer)
    for score, points in zip(draft.scores.order_by("criterion__position"), (4, 7), strict=True):
        score.points = points
        score.save()
    assert Review.objects.get(pk=draft.pk).score is None  # a draft has no stored score

    services.complete_review(review=draft, by=reviewer)

    stored = Review.objects.get(pk=draft.pk).score
    expected = review_score(Score.objects.filter(review=draft).select_related("criterion"))
    assert stored == expected == Decimal("14.67")  # 20 × (1 × 4/5 + 2 × 7/10) / 3


def test_completing_stores_the_scores_saved_just_before_not_a_stale_prefetched_list(world):
    reviewer = world.users["reviewer_bfc"]
    draft = services.start_review(dossier=world.dossier_bfc, reviewer=reviewer)
    loaded = Review.objects.prefetch_related("scores__criterion").get(pk=draft.pk)
    list(loaded.scores.all())  # the admin's object carries its scores as they were before the form saved them
    Score.objects.filter(review=draft).update(points=5)
    Score.objects.filter(review=draft, criterion__max_points=10).update(points=10)

    services.complete_review(review=loaded, by=reviewer)

    assert Review.objects.get(pk=draft.pk).score == Decimal("20.00")


def test_storing_scores_leaves_drafts_without_a_score(world):
    draft = review(world.dossier_bfc, world.users["reviewer_bfc"], [3, 6], completed=False)

    services.store_review_scores(reviews=[draft])

    assert Review.objects.get(pk=draft.pk).score is None


def test_the_migration_fills_the_scores_of_reviews_completed_before_it(world):
    done = review(world.dossier_bfc, world.users["reviewer_bfc"], [3, 6])
    draft = review(world.dossier_hdf, world.users["reviewer_hdf"], [3, 6], completed=False)
    Review.objects.update(score=None)
    migration = importlib.import_module("reviews.migrations.0007_review_score")

    migration.fill_scores(apps, None)

    assert Review.objects.get(pk=done.pk).score == Decimal("12.00")
    assert Review.objects.get(pk=draft.pk).score is None


def test_stored_scores_equal_the_scores_computed_from_the_rows(world):
    for index, points in enumerate([(0, 0), (1, 3), (2, 7), (5, 10), (3, None)]):
        dossier = scored(world, f"AMI-T-{index}", points)
        made = Review.objects.get(dossier=dossier)
        assert made.score == review_score(made.scores.select_related("criterion"))


# --- ranking ------------------------------------------------------------------------------------------------


def test_equal_means_are_ranked_by_reference_across_pages(world):
    for reference in ("AMI-T-C", "AMI-T-A", "AMI-T-B"):
        scored(world, reference, [3, 6])  # 12 each
    scored(world, "AMI-T-Z", [5, 10])  # 20

    first = selectors.ranking_page(user=world.users["committee"], wave=world.wave, page=1, per_page=2)
    second = selectors.ranking_page(user=world.users["committee"], wave=world.wave, page=2, per_page=2)

    ranked = [(r.rank, r.dossier.reference, str(r.score.mean)) for r in [*first.object_list, *second.object_list]]
    assert ranked == [
        (1, "AMI-T-Z", "20.00"),
        (2, "AMI-T-A", "12.00"),
        (3, "AMI-T-B", "12.00"),
        (4, "AMI-T-C", "12.00"),
    ]


def test_ranking_row_shows_mean_spread_deviation_drafts_and_calibrated_score_from_the_stored_scores(world):
    dossier = scored(world, "AMI-T-A", [5, 10])  # 20
    review(dossier, world.users["reviewer_bfc2"], [2, 4])  # 8
    other = dossier_in(world.bfc, wave=world.wave, reference="AMI-T-B")
    review(other, world.users["reviewer_bfc"], [1, 2], completed=False)
    calibration = campaign_calibration(campaign_id=world.campaign.pk)

    rows = {r.dossier.reference: r for r in selectors.ranking(user=world.users["committee"], wave=world.wave)}

    row = rows["AMI-T-A"]
    reviews = list(Review.objects.filter(dossier=dossier).prefetch_related("scores__criterion"))
    assert row.score == selectors.score_of(dossier)  # the figures scoring.py computes from the score rows
    assert (str(row.score.mean), str(row.score.spread), str(row.score.std_dev)) == ("14.00", "12.00", "6.00")
    assert row.calibrated == calibration.dossier_mean(reviews)
    assert row.disagreement
    assert (rows["AMI-T-B"].score.completed, rows["AMI-T-B"].score.drafts, rows["AMI-T-B"].score.mean) == (0, 1, None)


def test_ranking_shows_the_programmes_of_commune_and_intercommunality_applicants(world):
    commune = dossier_in(world.bfc, wave=world.wave, reference="AMI-T-COM")
    ProgrammeMembership.objects.create(programme=Programme.ACV, commune=commune.commune, source="test")
    epci = EpciFactory()
    ProgrammeMembership.objects.create(programme=Programme.TI, commune=CommuneFactory(epci=epci), source="test")
    ProgrammeMembership.objects.create(programme=Programme.ACV, commune=CommuneFactory(epci=epci), source="test")
    DossierFactory(
        wave=world.wave,
        campaign=world.campaign,
        commune=None,
        epci=epci,
        region=world.bfc,
        status=DossierStatus.UNDER_REVIEW,
        reference="AMI-T-EPCI",
    )

    rows = {
        r.dossier.reference: r.programmes for r in selectors.ranking(user=world.users["committee"], wave=world.wave)
    }

    assert rows["AMI-T-COM"] == ["Action Cœur de Ville"]
    assert rows["AMI-T-EPCI"] == ["Action Cœur de Ville", "Territoires d'industrie"]
    assert rows["AMI-BFC-0001"] == []


def test_programmes_of_a_page_agree_with_the_programme_annotation(world):
    from applications.models import Dossier

    epci = EpciFactory()
    member = CommuneFactory(epci=epci)
    ProgrammeMembership.objects.create(programme=Programme.TI, commune=member, source="test")
    in_epci = dossier_in(world.bfc, wave=world.wave, reference="AMI-T-IN")
    in_epci.commune.epci = epci  # a commune applicant gets only its own memberships, not its EPCI's
    in_epci.commune.save()
    DossierFactory(wave=world.wave, campaign=world.campaign, commune=None, epci=epci, region=world.bfc)
    dossiers = list(Dossier.objects.with_programmes())

    assert programmes_of_applicants(dossiers) == {d.pk: d.programme_codes for d in dossiers}


def test_ranking_query_count_does_not_grow_with_reviews_and_programmes(world, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users["coordinator"])
    scored(world, "AMI-T-000", [3, 6])
    url = reverse("admin:applications_dossier_ranking", args=[world.wave.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for index in range(1, 40):
        dossier = scored(world, f"AMI-T-{index:03d}", [index % 6, index % 11])
        review(dossier, world.users["reviewer_bfc2"], [5 - index % 6, 10 - index % 11], completed=index % 3 != 0)
        ProgrammeMembership.objects.create(programme=Programme.ACV, commune=dossier.commune, source="test")

    with django_assert_num_queries(len(queries)):
        assert client.get(url).status_code == 200


# --- dashboard ----------------------------------------------------------------------------------------------


def _flagged_by_annotation(user):
    from applications.models import Dossier

    flagged = selectors.with_disagreement(Dossier.objects.visible_to(user), user=user).filter(disagreement=True)
    return sorted(flagged.values_list("reference", flat=True))


@pytest.mark.parametrize("role", ["coordinator", "committee", "reviewer_bfc", "reviewer_bfc2", "reviewer_hdf"])
def test_dashboard_disagreements_are_those_flagged_for_each_role(world, role):
    far = scored(world, "AMI-T-FAR", [5, 10])  # 20
    review(far, world.users["reviewer_bfc2"], [1, 1])  # 2.67: disagree
    near = scored(world, "AMI-T-NEAR", [3, 6])  # 12
    review(near, world.users["reviewer_bfc2"], [3, 7])  # 13.33: agree
    hidden = scored(world, "AMI-T-HALF", [5, 10])  # 20
    review(hidden, world.users["reviewer_bfc2"], [0, 0], completed=False)  # a draft does not count
    hdf = dossier_in(world.hdf, wave=world.wave, reference="AMI-T-HDF")
    review(hdf, world.users["reviewer_hdf"], [5, 10])
    review(hdf, world.users["reviewer_bfc"], [0, 0])  # (not of the région, but a completed review all the same)

    user = world.users[role]
    found = selectors.disagreements(user=user)

    expected = _flagged_by_annotation(user)
    assert sorted(d.reference for d in found["rows"]) == expected
    assert found["count"] == len(expected)
    assert {
        "coordinator": ["AMI-T-FAR", "AMI-T-HDF"],
        "committee": ["AMI-T-FAR", "AMI-T-HDF"],
        "reviewer_bfc": ["AMI-T-FAR"],
        "reviewer_bfc2": ["AMI-T-FAR"],
        "reviewer_hdf": ["AMI-T-HDF"],
    }[role] == expected


def test_dashboard_disagreements_show_the_largest_spreads_first_and_count_them_all(world):
    for index in range(5):
        dossier = scored(world, f"AMI-T-{index}", [5, 10])  # 20
        review(dossier, world.users["reviewer_bfc2"], [0, index])  # 0, 1.33, 2.67, 4, 5.33

    found = selectors.disagreements(user=world.users["coordinator"], limit=3)

    assert found["count"] == 5
    assert [(d.reference, d.score_spread) for d in found["rows"]] == [
        ("AMI-T-0", Decimal("20")),
        ("AMI-T-1", Decimal("18.67")),
        ("AMI-T-2", Decimal("17.33")),
    ]


@pytest.mark.parametrize(
    "role, total", [("coordinator", 3), ("committee", 3), ("reviewer_bfc", 1), ("reviewer_hdf", 1)]
)
def test_dashboard_counts_the_dossiers_each_role_may_see(world, role, total):
    # The coordinator and the committee see both régions and the draft; a reviewer, their région's submitted ones.
    figures = selectors.dashboard(user=world.users[role])

    assert figures["total"] == total
    assert sum(count for _label, count in figures["by_status"]) == total
    assert sum(count for _label, count in figures["by_region"]) == total


def test_dashboard_query_count_does_not_grow_with_disagreements_for_a_reviewer(world, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = scored(world, "AMI-T-FIRST", [5, 10])
    review(first, world.users["reviewer_bfc2"], [0, 0])
    client = login(world.users["reviewer_bfc"])
    client.get(reverse("admin:applications_dossier_dashboard"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("admin:applications_dossier_dashboard"))
    for index in range(30):
        dossier = scored(world, f"AMI-T-{index:03d}", [5, 10])
        review(dossier, world.users["reviewer_bfc2"], [0, index % 3])

    with django_assert_num_queries(len(queries)):
        body = client.get(reverse("admin:applications_dossier_dashboard")).content.decode()
    assert "AMI-T-000" in body
