"""Writing a review in the admin: start from the dossier, save a draft, complete it once every criterion is scored."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import Review, ReviewStatus

from .factories import review

pytestmark = pytest.mark.django_db


def _start(world, login, user="reviewer_bfc"):
    client = login(world.users[user])
    response = client.post(reverse("admin:applications_dossier_review", args=[world.dossier_bfc.pk]))
    return client, response


def _form_data(review_obj, points, *, comment="Solide", complete=False):
    scores = list(review_obj.scores.order_by("criterion__position"))
    data = {
        "comment": comment,
        "scores-TOTAL_FORMS": str(len(scores)),
        "scores-INITIAL_FORMS": str(len(scores)),
        "scores-MIN_NUM_FORMS": "0",
        "scores-MAX_NUM_FORMS": "1000",
    }
    for index, (score, value) in enumerate(zip(scores, points, strict=True)):
        data[f"scores-{index}-id"] = str(score.pk)
        data[f"scores-{index}-review"] = str(review_obj.pk)
        data[f"scores-{index}-points"] = "" if value is None else str(value)
        data[f"scores-{index}-comment"] = ""
    if complete:
        data["_complete"] = "1"
    return data


def test_starting_a_review_creates_a_draft_with_one_empty_score_per_criterion(world, login):
    _client, response = _start(world, login)
    made = Review.objects.get(dossier=world.dossier_bfc, reviewer=world.users["reviewer_bfc"])
    assert response["Location"] == reverse("admin:reviews_review_change", args=[made.pk])
    assert made.status == ReviewStatus.DRAFT and made.scores.filter(points__isnull=True).count() == 2


def test_a_draft_review_keeps_partial_scores(world, login):
    client, _response = _start(world, login)
    made = Review.objects.get()
    client.post(reverse("admin:reviews_review_change", args=[made.pk]), _form_data(made, [3, None]))
    assert sorted(made.scores.values_list("points", flat=True), key=str) == [3, None]
    assert Review.objects.get().status == ReviewStatus.DRAFT


def test_completing_with_an_unscored_criterion_is_refused_and_keeps_what_was_typed(world, login):
    client, _response = _start(world, login)
    made = Review.objects.get()
    response = client.post(
        reverse("admin:reviews_review_change", args=[made.pk]), _form_data(made, [3, None], complete=True), follow=True
    )
    assert Review.objects.get().status == ReviewStatus.DRAFT
    assert made.scores.filter(points=3).exists()
    assert any("Critère 2" in str(m) for m in response.context["messages"])


def test_completing_a_fully_scored_review_makes_it_count(world, login):
    client, _response = _start(world, login)
    made = Review.objects.get()
    client.post(reverse("admin:reviews_review_change", args=[made.pk]), _form_data(made, [4, 5], complete=True))
    assert Review.objects.get().status == ReviewStatus.COMPLETED


def test_completing_a_review_is_logged_with_who_and_when(world, login):
    client, _response = _start(world, login)
    made = Review.objects.get()
    client.post(reverse("admin:reviews_review_change", args=[made.pk]), _form_data(made, [4, 5], complete=True))
    log = made.transitions.get()
    made.refresh_from_db()
    assert (log.from_status, log.to_status, log.by, log.at) == (
        ReviewStatus.DRAFT,
        ReviewStatus.COMPLETED,
        world.users["reviewer_bfc"],
        made.completed_at,
    )


def test_points_above_the_scale_are_refused_in_the_admin_form(world, login):
    client, _response = _start(world, login)
    made = Review.objects.get()
    response = client.post(reverse("admin:reviews_review_change", args=[made.pk]), _form_data(made, [9, 5]))
    assert response.status_code == 200  # the form is shown again with its error
    assert "Au plus 5 points pour ce critère." in response.content.decode()
    assert not made.scores.filter(points=9).exists()


def test_a_completed_review_can_no_longer_be_changed(world, login):
    made = review(world.dossier_bfc, world.users["reviewer_bfc"], [4, 5])
    client = login(world.users["reviewer_bfc"])
    response = client.post(reverse("admin:reviews_review_change", args=[made.pk]), _form_data(made, [1, 1]))
    assert response.status_code == 403
    assert made.scores.filter(points=4).exists()


def test_a_reviewer_cannot_change_another_reviewers_draft(world, login):
    other = review(world.dossier_bfc, world.users["reviewer_bfc2"], [None, None], completed=False)
    client = login(world.users["reviewer_bfc"])
    response = client.post(reverse("admin:reviews_review_change", args=[other.pk]), _form_data(other, [1, 1]))
    assert response.status_code == 404


def test_coordinators_do_not_write_reviews(world, login):
    _client, response = _start(world, login, "coordinator")
    assert response.status_code == 403


def test_starting_a_review_without_a_grid_is_refused_with_a_message(world):
    world.campaign.scoring_grid.delete()
    with pytest.raises(services.ReviewRefused):
        services.start_review(dossier=world.dossier_bfc, reviewer=world.users["reviewer_bfc"])


def test_grid_admin_refuses_changes_once_reviews_exist(world, login):
    review(world.dossier_bfc, world.users["reviewer_bfc"], [None, None], completed=False)
    grid = world.campaign.scoring_grid
    criteria = list(grid.criteria.all())
    data = {
        "campaign": str(world.campaign.pk),
        "instructions": "",
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, criterion in enumerate(criteria):
        data.update(
            {
                f"criteria-{index}-id": str(criterion.pk),
                f"criteria-{index}-grid": str(grid.pk),
                f"criteria-{index}-position": str(criterion.position),
                f"criteria-{index}-label": criterion.label,
                f"criteria-{index}-description": "",
                f"criteria-{index}-weight": "9",
                f"criteria-{index}-max_points": str(criterion.max_points),
            }
        )
    client = login(world.users["coordinator"])
    response = client.post(reverse("admin:reviews_scoringgrid_change", args=[grid.pk]), data)
    assert response.status_code == 200  # shown again with the error
    assert "grille" in response.content.decode()
    assert not grid.criteria.filter(weight=9).exists()


def test_review_page_does_not_link_the_reviewers_account_page(world, login):
    client, response = _start(world, login)
    body = client.get(response["Location"]).content.decode()
    assert reverse("admin:accounts_user_change", args=[world.users["reviewer_bfc"].pk]) not in body
    assert str(world.users["reviewer_bfc"]) in body


def test_review_page_shows_criterion_weights_without_trailing_decimals(world, login):
    client, response = _start(world, login)
    body = client.get(response["Location"]).content.decode()
    assert "Critère 1 (coefficient 1, sur 5)" in body and "1.00" not in body


def test_a_score_reads_with_french_colon_spacing(world, login):
    _start(world, login)
    score = Review.objects.get().scores.order_by("criterion__position").first()
    assert str(score) == "Critère 1 : —"
