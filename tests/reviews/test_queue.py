"""The reviewer's queue ("My reviews"): contents per status and wave, the next dossier, the page and its cost,
the review page's "complete and go to the next" and autosave, and the dossier page's review button."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.states import DossierStatus
from reviews import queue, selectors, services
from reviews.models import Assignment, Review, ReviewDeadline, ReviewStatus
from tests.factories import WaveFactory

from .factories import dossier_in, review

pytestmark = pytest.mark.django_db


def assign(dossier, reviewer):
    return Assignment.objects.create(dossier=dossier, reviewer=reviewer, assigned_at=timezone.now())


def states(user):
    return {row.dossier.reference: row.state for row in queue.queue_rows(user=user)}


def test_queue_holds_assigned_dossiers_to_do_drafts_in_progress_and_completed_done(world):
    me = world.users["reviewer_bfc"]
    todo = world.dossier_bfc
    started = dossier_in(world.bfc, wave=world.wave, reference="AMI-BFC-0010")
    finished = dossier_in(world.bfc, wave=world.wave, reference="AMI-BFC-0011")
    for dossier in (todo, started, finished):
        assign(dossier, me)
    review(started, me, [3, None], completed=False)
    review(finished, me, [3, 6])
    assert states(me) == {"AMI-BFC-0001": "to_do", "AMI-BFC-0010": "in_progress", "AMI-BFC-0011": "done"}


def test_queue_leaves_out_dossiers_not_assigned_and_released_assignments(world):
    me = world.users["reviewer_bfc"]
    other = dossier_in(world.bfc, wave=world.wave, reference="AMI-BFC-0012")
    assign(other, world.users["reviewer_bfc2"])
    released = assign(world.dossier_bfc, me)
    released.released_at = timezone.now()
    released.save()
    assert states(me) == {}


def test_queue_leaves_out_a_withdrawn_review_and_another_regions_dossier(world):
    me = world.users["reviewer_bfc"]
    assign(world.dossier_hdf, me)  # not visible to a BFC reviewer
    Review.objects.create(dossier=world.dossier_bfc, reviewer=me, status=ReviewStatus.WITHDRAWN)
    assert states(me) == {}


def test_an_unstarted_dossier_no_longer_under_review_is_not_to_do(world):
    me = world.users["reviewer_bfc"]
    now = timezone.now()
    published = WaveFactory(
        campaign=world.campaign,
        number=3,
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=60),
        publishes_at=now - timedelta(days=1),
    )
    decided = dossier_in(world.bfc, wave=published, status=DossierStatus.LAUREATE, reference="AMI-X")
    assign(decided, me)
    assert selectors.dossiers_for_staff(me).filter(pk=decided.pk).exists()  # visible, yet nothing to score
    assert states(me) == {}


def test_queue_is_grouped_per_wave_earliest_review_due_date_first(world):
    me = world.users["reviewer_bfc"]
    now = timezone.now()
    later_wave = WaveFactory(
        campaign=world.campaign, number=2, opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=2)
    )
    late = dossier_in(world.bfc, wave=later_wave, reference="AMI-BFC-0020")
    assign(late, me)
    assign(world.dossier_bfc, me)
    ReviewDeadline.objects.create(wave=later_wave, due_at=now + timedelta(days=5))
    ReviewDeadline.objects.create(wave=world.wave, due_at=now + timedelta(days=10))
    waves = queue.queue_by_wave(user=me)
    assert [w.wave for w in waves] == [later_wave, world.wave]
    assert waves[0].due_at == now + timedelta(days=5)
    assert [r.dossier.reference for r in waves[0].rows] == ["AMI-BFC-0020"]


def test_next_dossier_is_the_first_not_done_after_the_current_one_wrapping_round(world):
    me = world.users["reviewer_bfc"]
    refs = ["AMI-N-1", "AMI-N-2", "AMI-N-3", "AMI-N-4"]
    dossiers = [dossier_in(world.bfc, wave=world.wave, reference=r) for r in refs]
    for dossier in dossiers:
        assign(dossier, me)
    review(dossiers[2], me, [3, 6])  # AMI-N-3 done
    rows = queue.queue_rows(user=me)
    assert queue.next_row(rows).dossier.reference == "AMI-N-1"
    assert queue.next_row(rows, after_dossier_id=dossiers[1].pk).dossier.reference == "AMI-N-4"
    assert queue.next_row(rows, after_dossier_id=dossiers[3].pk).dossier.reference == "AMI-N-1"


def test_next_dossier_is_none_when_everything_else_is_done(world):
    me = world.users["reviewer_bfc"]
    assign(world.dossier_bfc, me)
    assert queue.next_in_queue(user=me, after_dossier_id=world.dossier_bfc.pk) is None


def _fill(world, count, start):
    me = world.users["reviewer_bfc"]
    for index in range(start, start + count):
        dossier = dossier_in(world.bfc, wave=world.wave, reference=f"AMI-Q-{index:04d}")
        assign(dossier, me)
        if index % 3 == 1:
            review(dossier, me, [3, None], completed=False)
        elif index % 3 == 2:
            review(dossier, me, [3, 6])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queue_page_query_count_is_the_same_at_one_and_many_dossiers(world, login, django_assert_num_queries):
    client = login(world.users["reviewer_bfc"])
    url = reverse("admin:applications_dossier_my_reviews")
    _fill(world, 1, 0)
    client.get(url)  # the first page after a log-in stamps the session (ami_portal/sessions.py)
    at_one = _count(client, url)
    _fill(world, 29, 1)
    with django_assert_num_queries(at_one):
        page = client.get(url).content.decode()
    assert page.count("AMI-Q-") >= 30


def test_queue_page_shows_counts_due_date_and_highlights_the_next(world, login):
    me = world.users["reviewer_bfc"]
    assign(world.dossier_bfc, me)
    ReviewDeadline.objects.create(wave=world.wave, due_at=timezone.now() + timedelta(days=4))
    page = login(me).get(reverse("admin:applications_dossier_my_reviews")).content.decode()
    assert "reviews-queue-next" in page
    assert reverse("admin:applications_dossier_review", args=[world.dossier_bfc.pk]) in page
    assert "AMI-BFC-0001" in page
    assert "reviews-due" in page


def test_admin_index_shows_the_reviewers_counts_and_queue_link(world, login):
    me = world.users["reviewer_bfc"]
    assign(world.dossier_bfc, me)
    page = login(me).get(reverse("admin:index")).content.decode()
    assert reverse("admin:applications_dossier_my_reviews") in page
    assert "AMI-BFC-0001" in page


def test_admin_index_shows_no_queue_to_a_coordinator(world, login):
    page = login(world.users["coordinator"]).get(reverse("admin:index")).content.decode()
    assert 'id="my-reviews-title"' not in page


def _post_review(client, review_obj, extra, **headers):
    scores = list(review_obj.scores.order_by("criterion__position"))
    data = {
        "comment": "Bon dossier",
        "scores-TOTAL_FORMS": len(scores),
        "scores-INITIAL_FORMS": len(scores),
        "scores-MIN_NUM_FORMS": 0,
        "scores-MAX_NUM_FORMS": 1000,
        **extra,
    }
    for index, score in enumerate(scores):
        data[f"scores-{index}-id"] = score.pk
        data[f"scores-{index}-review"] = review_obj.pk
        data[f"scores-{index}-points"] = 4
        data[f"scores-{index}-comment"] = ""
    return client.post(reverse("admin:reviews_review_change", args=[review_obj.pk]), data, headers=headers)


def test_complete_and_next_completes_the_review_and_opens_the_next_dossiers_draft(world, login):
    me = world.users["reviewer_bfc"]
    following = dossier_in(world.bfc, wave=world.wave, reference="AMI-BFC-0099")
    assign(world.dossier_bfc, me)
    assign(following, me)
    current = services.start_review(dossier=world.dossier_bfc, reviewer=me)
    response = _post_review(login(me), current, {"_complete_next": "1"})
    current.refresh_from_db()
    assert current.status == ReviewStatus.COMPLETED
    next_review = Review.objects.get(dossier=following, reviewer=me)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reviews_review_change", args=[next_review.pk])


def test_complete_and_next_on_the_last_dossier_goes_back_to_the_queue(world, login):
    me = world.users["reviewer_bfc"]
    assign(world.dossier_bfc, me)
    current = services.start_review(dossier=world.dossier_bfc, reviewer=me)
    response = _post_review(login(me), current, {"_complete_next": "1"})
    assert response["Location"] == reverse("admin:applications_dossier_my_reviews")


def test_autosave_saves_the_draft_and_answers_json_without_completing(world, login):
    me = world.users["reviewer_bfc"]
    current = services.start_review(dossier=world.dossier_bfc, reviewer=me)
    response = _post_review(login(me), current, {"_continue": "1"}, X_REVIEW_AUTOSAVE="1")
    assert response.json() == {"saved": True}
    current.refresh_from_db()
    assert current.status == ReviewStatus.DRAFT
    assert current.comment == "Bon dossier"
    assert set(current.scores.values_list("points", flat=True)) == {4}


def test_review_page_shows_the_dossier_beside_the_grid_with_labelled_inputs(world, login):
    me = world.users["reviewer_bfc"]
    current = services.start_review(dossier=world.dossier_bfc, reviewer=me)
    page = login(me).get(reverse("admin:reviews_review_change", args=[current.pk])).content.decode()
    assert 'class="reviews-dossier"' in page
    assert "AMI-BFC-0001" in page
    assert 'id="coverage"' in page
    assert 'aria-label="Points pour « Critère 1 » (sur 5)"' in page
    assert 'name="_complete_next"' in page


def test_dossier_page_offers_no_continue_button_on_a_completed_review(world, login):
    me = world.users["reviewer_bfc"]
    done = review(world.dossier_bfc, me, [3, 6])
    page = login(me).get(reverse("admin:applications_dossier_change", args=[world.dossier_bfc.pk])).content.decode()
    assert "Poursuivre mon évaluation" not in page
    assert reverse("admin:reviews_review_change", args=[done.pk]) in page


def test_dossier_page_offers_continue_on_a_draft(world, login):
    me = world.users["reviewer_bfc"]
    review(world.dossier_bfc, me, [3, None], completed=False)
    page = login(me).get(reverse("admin:applications_dossier_change", args=[world.dossier_bfc.pk])).content.decode()
    assert "Poursuivre mon évaluation" in page


def _pdf(dossier):
    from django.core.files.base import ContentFile

    from applications.models import Attachment

    attachment = Attachment(
        dossier=dossier,
        kind="other",
        original_name="plan.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=4,
        sha256="0" * 64,
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF"), save=True)
    return reverse("applications:attachment_download", kwargs={"pk": dossier.pk, "attachment_pk": attachment.pk})


def test_review_page_previews_pdfs_through_the_permission_checked_download(world, login):
    me = world.users["reviewer_bfc"]
    url = _pdf(world.dossier_bfc)
    current = services.start_review(dossier=world.dossier_bfc, reviewer=me)
    page = login(me).get(reverse("admin:reviews_review_change", args=[current.pk])).content.decode()
    assert f'<iframe class="reviews-preview" src="{url}?inline=1"' in page


def test_inline_pdf_may_be_framed_by_our_pages_only_and_download_stays_an_attachment(world, login):
    url = _pdf(world.dossier_bfc)
    client = login(world.users["reviewer_bfc"])
    inline = client.get(url + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in inline["Content-Security-Policy"]
    download = client.get(url)
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Frame-Options"] == "DENY"
    assert login(world.users["reviewer_hdf"]).get(url + "?inline=1").status_code == 404
