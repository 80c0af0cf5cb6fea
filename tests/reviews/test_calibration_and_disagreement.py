"""Calibrated scores (reviews/calibration.py) and disagreement flags, with hand-computed fixtures.

The world's grid has criteria (weight 1, out of 5) and (weight 2, out of 10). These tests score both criteria
so that a review's score is 20 × (p1/5 + 2·p2/10) / 3: [0, 3] = 4, [3, 3] = 8, [3, 6] = 12, [5, 7] = 16,
[5, 10] = 20.
"""

from decimal import Decimal

import pytest

from applications.models import Dossier
from reviews import selectors
from reviews.calibration import Calibration, calibration_from, campaign_calibration

from .factories import dossier_in, review

pytestmark = pytest.mark.django_db

POINTS = {4: [0, 3], 8: [3, 3], 12: [3, 6], 16: [5, 7], 20: [5, 10]}


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.REVIEW_CALIBRATION_MIN_REVIEWS = 3
    settings.REVIEW_DISAGREEMENT_SPREAD = 4


@pytest.fixture
def severities(world):
    """A (severe) scores 4, 8, 12: mean 8; B (lenient) 12, 20, 16: mean 16; C one review, 20.
    Campaign mean = (4 + 8 + 12 + 12 + 20 + 16 + 20) / 7 = 92 / 7 = 13.142857…
    Offsets: A = 13.142857 − 8 = +5.14; B = 13.142857 − 16 = −2.86; C: one review, below 3, no correction."""
    a, b, c = (world.users[name] for name in ("reviewer_bfc", "reviewer_bfc2", "reviewer_hdf"))
    made = {}
    plan = {
        "AMI-C-1": [(a, 4), (b, 12)],  # raw 8, calibrated (9.14 + 9.14) / 2 = 9.14, spread 8
        "AMI-C-2": [(a, 8)],  # raw 8, calibrated 13.14
        "AMI-C-3": [(b, 20)],  # raw 20, calibrated 17.14
        "AMI-C-4": [(c, 20)],  # raw 20, calibrated 20 (C has one review: no correction)
        "AMI-C-5": [(b, 16)],  # raw 16, calibrated 13.14
        "AMI-C-6": [(a, 12)],  # raw 12, calibrated 17.14
    }
    for reference, reviews in plan.items():
        dossier = dossier_in(world.hdf if reference == "AMI-C-4" else world.bfc, wave=world.wave, reference=reference)
        for reviewer, score in reviews:
            review(dossier, reviewer, POINTS[score])
        made[reference] = dossier
    return made


def test_campaign_calibration_offsets_each_reviewer_at_or_above_the_minimum(world, severities):
    calibration = campaign_calibration(campaign_id=world.campaign.pk)

    a, b, c = (world.users[name].pk for name in ("reviewer_bfc", "reviewer_bfc2", "reviewer_hdf"))
    assert calibration.campaign_mean == Decimal("13.14")
    assert calibration.offsets == {a: Decimal("5.14"), b: Decimal("-2.86")}
    assert (calibration.reviewers[c].reviews, calibration.reviewers[c].offset) == (1, Decimal("0"))
    assert (calibration.reviewers[a].mean, calibration.reviewers[b].mean) == (Decimal("8.00"), Decimal("16.00"))


def test_ranking_shows_raw_and_calibrated_scores_side_by_side(world, severities):
    rows = selectors.ranking(user=world.users["committee"], wave=world.wave)

    shown = {r.dossier.reference: (str(r.score.mean), str(r.calibrated)) for r in rows}
    assert shown["AMI-C-1"] == ("8.00", "9.14")
    assert shown["AMI-C-2"] == ("8.00", "13.14")
    assert shown["AMI-C-3"] == ("20.00", "17.14")
    assert shown["AMI-C-4"] == ("20.00", "20.00")
    assert shown["AMI-C-6"] == ("12.00", "17.14")
    assert shown["AMI-BFC-0001"] == ("None", "None")


def test_ranking_by_raw_mean_and_by_calibrated_score(world, severities):
    raw = selectors.ranking(user=world.users["committee"], wave=world.wave)
    calibrated = selectors.ranking(user=world.users["committee"], wave=world.wave, sort="calibrated")

    assert [r.dossier.reference for r in raw][:6] == ["AMI-C-3", "AMI-C-4", "AMI-C-5", "AMI-C-6", "AMI-C-1", "AMI-C-2"]
    # Ties on the calibrated score (17.14, 13.14) are broken by the raw mean, then the reference.
    assert [r.dossier.reference for r in calibrated] == [
        "AMI-C-4",
        "AMI-C-3",
        "AMI-C-6",
        "AMI-C-5",
        "AMI-C-2",
        "AMI-C-1",
        "AMI-BFC-0001",
        "AMI-HDF-0001",
    ]


def test_calibrated_scores_sorted_by_the_database_equal_those_shown(world, severities):
    ranked = selectors.ranked_dossiers(user=world.users["committee"], wave=world.wave, sort="calibrated")
    shown = {r.dossier.pk: r.calibrated for r in selectors.ranking(user=world.users["committee"], wave=world.wave)}

    for dossier in ranked:
        expected = shown[dossier.pk]
        assert (None if dossier.score_calibrated is None else Decimal(str(dossier.score_calibrated))) == expected


# --- the arithmetic alone ----------------------------------------------------------------------------------------


def test_reviewers_below_the_minimum_get_no_correction():
    # (reviewer, reviews, sum): 1 has 3 reviews of mean 6, 2 has 2 reviews of mean 14; campaign (18 + 28) / 5 = 9.2
    calibration = calibration_from([(1, 3, 18), (2, 2, 28)], min_reviews=3)

    assert calibration.campaign_mean == Decimal("9.20")
    assert calibration.offsets == {1: Decimal("3.20")}
    assert calibration.calibrated(reviewer_id=2, score=Decimal("14")) == Decimal("14")
    assert calibration.calibrated(reviewer_id=1, score=Decimal("6")) == Decimal("9.20")


def test_a_calibrated_review_score_stays_between_0_and_20():
    calibration = Calibration(campaign_mean=Decimal("10"), offsets={1: Decimal("5"), 2: Decimal("-5")})

    assert calibration.calibrated(reviewer_id=1, score=Decimal("18")) == Decimal("20")
    assert calibration.calibrated(reviewer_id=2, score=Decimal("3")) == Decimal("0")


def test_no_completed_review_means_no_calibration():
    calibration = calibration_from([])

    assert calibration.campaign_mean is None and calibration.offsets == {}


def test_a_dossier_with_one_review_gets_that_reviews_calibrated_score(world, severities):
    calibration = campaign_calibration(campaign_id=world.campaign.pk)
    dossier = selectors.dossiers_for_staff(world.users["committee"]).get(pk=severities["AMI-C-6"].pk)

    assert calibration.dossier_mean(dossier.reviews.all()) == Decimal("17.14")  # 12 + 5.14


def test_drafts_count_neither_in_the_offsets_nor_in_the_calibrated_score(world, severities):
    review(severities["AMI-C-4"], world.users["reviewer_bfc"], POINTS[4], completed=False)
    calibration = campaign_calibration(campaign_id=world.campaign.pk)
    dossier = selectors.dossiers_for_staff(world.users["committee"]).get(pk=severities["AMI-C-4"].pk)

    assert calibration.reviewers[world.users["reviewer_bfc"].pk].reviews == 3
    assert calibration.dossier_mean(dossier.reviews.all()) == Decimal("20.00")


# --- disagreement ------------------------------------------------------------------------------------------------


def _flags(world, user):
    dossiers = selectors.with_disagreement(Dossier.objects.filter(wave=world.wave), user=world.users[user])
    return {d.reference for d in dossiers if d.disagreement}


def test_a_spread_above_the_setting_is_flagged_and_one_equal_to_it_is_not(world):
    apart = dossier_in(world.bfc, wave=world.wave, reference="AMI-D-8")
    review(apart, world.users["reviewer_bfc"], POINTS[4])
    review(apart, world.users["reviewer_bfc2"], POINTS[12])  # spread 8
    edge = dossier_in(world.bfc, wave=world.wave, reference="AMI-D-4")
    review(edge, world.users["reviewer_bfc"], POINTS[8])
    review(edge, world.users["reviewer_bfc2"], POINTS[12])  # spread 4: not more than 4

    assert _flags(world, "coordinator") == {"AMI-D-8"}
    rows = {
        r.dossier.reference: r.disagreement for r in selectors.ranking(user=world.users["committee"], wave=world.wave)
    }
    assert (rows["AMI-D-8"], rows["AMI-D-4"]) == (True, False)


def test_the_spread_setting_moves_the_flag(world, settings):
    edge = dossier_in(world.bfc, wave=world.wave, reference="AMI-D-4")
    review(edge, world.users["reviewer_bfc"], POINTS[8])
    review(edge, world.users["reviewer_bfc2"], POINTS[12])
    settings.REVIEW_DISAGREEMENT_SPREAD = 3.5

    assert _flags(world, "coordinator") == {"AMI-D-4"}


def test_a_reviewer_learns_of_a_disagreement_only_after_completing_their_own_review(world):
    dossier = dossier_in(world.bfc, wave=world.wave, reference="AMI-D-8")
    review(dossier, world.users["reviewer_bfc2"], POINTS[4])
    review(dossier, world.users["reviewer_hdf"], POINTS[20])
    own = review(dossier, world.users["reviewer_bfc"], POINTS[12], completed=False)

    assert _flags(world, "reviewer_bfc") == set()
    assert selectors.disagreements(user=world.users["reviewer_bfc"])["count"] == 0

    own.status = "completed"
    own.save()
    assert _flags(world, "reviewer_bfc") == {"AMI-D-8"}
    assert [d.reference for d in selectors.disagreements(user=world.users["reviewer_bfc"])["rows"]] == ["AMI-D-8"]


def test_dashboard_lists_the_disagreements_largest_spread_first(world, login):
    from django.urls import reverse

    for reference, low in (("AMI-D-A", 12), ("AMI-D-B", 4)):
        dossier = dossier_in(world.bfc, wave=world.wave, reference=reference)
        review(dossier, world.users["reviewer_bfc"], POINTS[low])
        review(dossier, world.users["reviewer_bfc2"], POINTS[20])

    body = login(world.users["coordinator"]).get(reverse("admin:applications_dossier_dashboard")).content.decode()

    section = body[body.index('id="disagreements"') :]
    assert "Évaluateurs en désaccord" in section and "plus de 4 points sur 20" in section
    assert section.index("AMI-D-B") < section.index("AMI-D-A")  # spread 16 before spread 8
    assert "16,00" in section and "désaccord" in section


# --- the ranking page ----------------------------------------------------------------------------------------------

RANKING = "admin:applications_dossier_ranking"


def _ranking(world, login, query=""):
    from django.urls import reverse

    return login(world.users["committee"]).get(reverse(RANKING, args=[world.wave.pk]) + query).content.decode()


def test_ranking_page_explains_the_calibrated_score_and_the_visibility_rule(world, login, severities):
    body = _ranking(world, login)

    assert "Note calibrée /20" in body and "Moyenne brute /20" in body
    assert "ajoute la moyenne de la campagne moins la moyenne des évaluations terminées" in body
    assert "au moins 3 évaluations" in body and "Moyenne de la campagne : 13,14/20." in body
    assert "qu’une fois sa propre évaluation de ce dossier terminée" in body
    assert "Classement par moyenne brute des évaluations terminées." in body


def test_ranking_page_sorted_by_calibrated_score_on_request(world, login, severities):
    body = _ranking(world, login, f"?sort=calibrated&region={world.bfc.pk}")

    assert "Classement par note calibrée, puis par moyenne brute." in body
    assert body.index("AMI-C-3") < body.index("AMI-C-6") < body.index("AMI-C-5") < body.index("AMI-C-2")
    assert "<strong>Par note calibrée</strong>" in body
    assert f'href="?region={world.bfc.pk}">Par moyenne brute' in body


def test_an_unknown_sort_falls_back_to_the_raw_mean(world, login, severities):
    assert "Classement par moyenne brute des évaluations terminées." in _ranking(world, login, "?sort=drop table")


def test_ranking_pages_keep_the_calibrated_order(world, login):
    for index in range(51):
        dossier = dossier_in(world.bfc, wave=world.wave, reference=f"AMI-P-{index:03d}")
        review(dossier, world.users["reviewer_bfc"], POINTS[12])

    body = _ranking(world, login, "?sort=calibrated")

    assert 'href="?sort=calibrated&amp;page=2" rel="next"' in body


def test_ranking_flags_a_disagreement_in_words(world, login, severities):
    body = _ranking(world, login)

    row = body[body.index("AMI-C-1") :]
    row = row[: row.index("</tr>")]
    assert "8.00" in row or "8,00" in row
    assert '<span class="reviews-flag">désaccord</span>' in row


def test_calibrated_ranking_query_count_is_the_same_at_one_and_at_sixty_dossiers(
    world, login, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from .factories import reviewer_of

    client = login(world.users["committee"])
    url = reverse(RANKING, args=[world.wave.pk]) + "?sort=calibrated"
    review(world.dossier_bfc, world.users["reviewer_bfc"], POINTS[12])
    with CaptureQueriesContext(connection) as at_one:
        assert client.get(url).status_code == 200
    reviewers = [reviewer_of(world.bfc) for _ in range(5)]
    for index in range(60):
        dossier = dossier_in(world.bfc, wave=world.wave, reference=f"AMI-Q-{index:03d}")
        review(dossier, reviewers[index % 5], POINTS[(4, 8, 12, 16, 20)[index % 5]])
        review(dossier, reviewers[(index + 1) % 5], POINTS[(20, 16, 12, 8, 4)[index % 5]])

    with django_assert_num_queries(len(at_one)):
        body = client.get(url).content.decode()
    assert "AMI-Q-" in body


def test_dossier_page_states_a_disagreement_only_to_those_who_see_every_score(world, login):
    from django.urls import reverse

    review(world.dossier_bfc, world.users["reviewer_bfc2"], POINTS[4])
    review(world.dossier_bfc, world.users["reviewer_hdf"], POINTS[20])
    review(world.dossier_bfc, world.users["reviewer_bfc"], POINTS[8], completed=False)
    url = reverse("admin:applications_dossier_change", args=[world.dossier_bfc.pk])
    statement = "Les évaluateurs sont en désaccord : leurs notes s’écartent de plus de 4 points."

    assert statement in login(world.users["coordinator"]).get(url).content.decode()
    reviewer_page = login(world.users["reviewer_bfc"]).get(url).content.decode()
    assert statement not in reviewer_page
    assert "qu’une fois sa propre évaluation de ce dossier terminée" in reviewer_page


def test_dashboard_query_count_is_the_same_at_one_and_at_thirty_disagreements(world, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    def disagreeing(reference):
        dossier = dossier_in(world.bfc, wave=world.wave, reference=reference)
        review(dossier, world.users["reviewer_bfc"], POINTS[4])
        review(dossier, world.users["reviewer_bfc2"], POINTS[20])

    client = login(world.users["coordinator"])
    url = reverse("admin:applications_dossier_dashboard")
    disagreeing("AMI-D-000")
    with CaptureQueriesContext(connection) as at_one:
        client.get(url)
    for index in range(1, 30):
        disagreeing(f"AMI-D-{index:03d}")

    with django_assert_num_queries(len(at_one)):
        body = client.get(url).content.decode()
    assert "20 dossiers affichés sur 30, du plus grand écart au plus petit." in body


def test_queue_flags_a_disagreement_once_the_reviewer_has_completed_their_review(world, severities):
    from reviews import queue

    # AMI-C-1: reviewer A scored 4, B scored 12 (spread 8 > 4); both completed.
    flagged = {
        row.dossier.reference: row.dossier.disagreement for row in queue.queue_rows(user=world.users["reviewer_bfc"])
    }
    assert flagged["AMI-C-1"] is True and flagged["AMI-C-2"] is False
