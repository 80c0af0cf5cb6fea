"""A reviewer sees colleagues' reviews of a dossier (scores, comments, the dossier's score) only once their own
review is completed; coordinators and the committee see every review (reviews.selectors.reviews_visible_to)."""

import csv
import io

import pytest
from django.urls import reverse

from reviews.models import Review
from reviews.selectors import reviews_visible_to

from .factories import review

pytestmark = pytest.mark.django_db

COLLEAGUE_COMMENT = "Projet fragile : financement incertain"


@pytest.fixture
def colleague_review(world):
    made = review(world.dossier_bfc, world.users["reviewer_bfc2"], [1, 2])
    made.comment = COLLEAGUE_COMMENT
    made.save()
    return made


@pytest.fixture
def own_draft(world, colleague_review):
    return review(world.dossier_bfc, world.users["reviewer_bfc"], [5, None], completed=False)


def _page(world, login, user):
    return login(world.users[user]).get(reverse("admin:applications_dossier_change", args=[world.dossier_bfc.pk]))


def _list_row(world, login, user):
    response = login(world.users[user]).get(reverse("admin:applications_dossier_changelist"))
    return [row for row in response.context["cl"].result_list if row.pk == world.dossier_bfc.pk][0], response


def test_reviewer_with_a_draft_does_not_see_a_colleagues_review_on_the_dossier_page(world, login, own_draft):
    response = _page(world, login, "reviewer_bfc")

    body = response.content.decode()
    assert COLLEAGUE_COMMENT not in body
    assert response.context["reviews"] == [own_draft]
    assert response.context["score"].mean is None and response.context["score"].completed == 0
    assert response.context["others_reviews_hidden"] is True


def test_reviewer_with_no_review_yet_sees_no_colleagues_review(world, login, colleague_review):
    response = _page(world, login, "reviewer_bfc")

    assert COLLEAGUE_COMMENT not in response.content.decode()
    assert response.context["reviews"] == []


def test_reviewer_sees_colleagues_reviews_once_their_own_is_completed(world, login, own_draft, colleague_review):
    own_draft.scores.filter(points__isnull=True).update(points=8)
    own_draft.status, own_draft.completed_at = "completed", colleague_review.completed_at
    own_draft.save()

    response = _page(world, login, "reviewer_bfc")

    assert COLLEAGUE_COMMENT in response.content.decode()
    assert set(response.context["reviews"]) == {own_draft, colleague_review}
    assert response.context["score"].completed == 2
    assert response.context["others_reviews_hidden"] is False


@pytest.mark.parametrize("role", ["coordinator", "committee"])
def test_coordinator_and_committee_see_every_review_without_writing_one(world, login, own_draft, role):
    response = _page(world, login, role)

    assert COLLEAGUE_COMMENT in response.content.decode()
    assert len(response.context["reviews"]) == 2
    assert response.context["score"].completed == 1


def test_list_score_columns_hide_a_colleagues_score_from_a_reviewer_with_a_draft(world, login, own_draft):
    dossier, response = _list_row(world, login, "reviewer_bfc")
    columns = response.context["cl"].list_display

    assert [column(dossier) for column in columns[-3:]] == ["—", "—", 0]


def test_list_score_columns_show_the_score_to_the_coordinator(world, login, own_draft, colleague_review):
    dossier, response = _list_row(world, login, "coordinator")
    columns = response.context["cl"].list_display

    assert columns[-1](dossier) == 1 and columns[-3](dossier) != "—"


def test_csv_export_hides_a_colleagues_score_from_a_reviewer_with_a_draft(world, login, own_draft):
    response = login(world.users["reviewer_bfc"]).post(
        reverse("admin:applications_dossier_changelist"),
        {
            "action": "export_csv",
            "_selected_action": [world.dossier_bfc.pk],
        },
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][6:9] == ["", "", "0"]


def test_review_admin_hides_a_colleagues_review_from_a_reviewer_with_a_draft(world, login, own_draft, colleague_review):
    client = login(world.users["reviewer_bfc"])

    listed = client.get(reverse("admin:reviews_review_changelist")).context["cl"].result_list
    page = client.get(reverse("admin:reviews_review_change", args=[colleague_review.pk]))

    assert list(listed) == [own_draft]
    assert page.status_code == 404


def test_review_admin_shows_a_colleagues_review_after_completing_ones_own(world, login, colleague_review):
    review(world.dossier_bfc, world.users["reviewer_bfc"], [3, 4])
    client = login(world.users["reviewer_bfc"])

    page = client.get(reverse("admin:reviews_review_change", args=[colleague_review.pk]))

    assert page.status_code == 200 and COLLEAGUE_COMMENT in page.content.decode()


def test_rule_is_per_dossier_a_completed_review_elsewhere_does_not_open_this_one(world, colleague_review):
    other = review(world.draft_bfc, world.users["reviewer_bfc"], [3, 4])  # completed, on another dossier

    visible = reviews_visible_to(
        user=world.users["reviewer_bfc"], reviews=Review.objects.filter(dossier=world.dossier_bfc)
    )

    assert other.dossier_id != world.dossier_bfc.pk and visible == []
