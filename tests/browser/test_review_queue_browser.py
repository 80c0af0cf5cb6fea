"""Issue 14, the reviewer's workspace: a regional reviewer scores several dossiers in a row through their queue —
at most 2 clicks per dossier beyond typing the scores, the dossier shown beside the grid, the draft autosaved,
the last one by keyboard alone; axe on the queue and the review page. Then the dossier list fits 1366 px."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from applications.models import Attachment, Dossier
from applications.states import DossierStatus
from reviews.models import Assignment, Criterion, Review, ReviewDeadline, ReviewStatus, ScoringGrid
from tests.factories import DossierFactory, RegionFactory, WaveFactory, reviewer

from .helpers import assert_accessible, label, make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Relecture-solide-2026!"
DOSSIERS = 5


@pytest.fixture
def queue_world(tmp_path):
    now = timezone.now()
    wave = WaveFactory(opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=1))
    region = RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    grid = ScoringGrid.objects.create(campaign=wave.campaign)
    for position, name in enumerate(["Besoins du territoire", "Partenariats", "Locaux"]):
        Criterion.objects.create(grid=grid, label=name, position=position)
    me = reviewer(region, email="relecteur@cnam.example", password=PASSWORD)
    me.groups.add(Group.objects.get(name=Role.REGIONAL_REVIEWER))
    dossiers = []
    for index in range(DOSSIERS):
        dossier = DossierFactory(wave=wave, campaign=wave.campaign, status=DossierStatus.UNDER_REVIEW, submitted_at=now)
        Dossier.objects.filter(pk=dossier.pk).update(region=region, reference=f"AMI-BFC-{index + 1:04d}")
        Assignment.objects.create(dossier=dossier, reviewer=me, assigned_at=now)
        dossiers.append(dossier)
    pdf = make_pdf(tmp_path / "engagement.pdf").read_bytes()
    attachment = Attachment(
        dossier=dossiers[0],
        kind="other",
        original_name="engagement.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=len(pdf),
        sha256="0" * 64,
    )
    attachment.file.save("engagement.pdf", ContentFile(pdf), save=True)
    ReviewDeadline.objects.create(wave=wave, due_at=now + timedelta(days=10))
    return me, dossiers


class Clicks:
    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()


def test_reviewer_scores_the_queue_in_a_row_with_two_clicks_per_dossier(open_browser, shooter, queue_world):
    me, dossiers = queue_world
    page = open_browser().new_page()
    page.goto(reverse("admin:login"))
    page.get_by_label(label("e-mail address")).fill(me.email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("button", name=label("Log in")).click()
    # The admin index starts with the queue.
    expect(page.get_by_role("heading", name=label("My reviews"))).to_be_visible()
    page.locator(".reviews-summary a").click()
    expect(page.locator(".reviews-queue-next")).to_contain_text("AMI-BFC-0001")
    shooter.shoot(page, "review-queue", "queue")
    assert_accessible(page, "review queue")

    clicks = Clicks()
    per_dossier = []
    clicks.click(page.locator("#review-next"))
    for index in range(DOSSIERS):
        before = clicks.count
        expect(page.locator("#dossier-title")).to_contain_text(f"AMI-BFC-{index + 1:04d}")
        points = page.get_by_role("spinbutton")
        expect(points).to_have_count(3)
        if index == 0:
            assert_accessible(page, "review page", preload=False)
            # No long scroll: the grid and its button are in the first screen (1280 × 900), beside the dossier.
            button = page.get_by_role("button", name=label("Complete and go to the next")).bounding_box()
            assert button["y"] + button["height"] <= 900, button
            shooter.shoot(page, "review-queue", "review-page")
            points.first.fill("3")
            expect(page.locator(".reviews-autosave")).to_have_attribute("data-state", "saved")
            assert Review.objects.get(dossier=dossiers[0], reviewer=me).scores.filter(points=3).exists()
        if index < DOSSIERS - 1:
            for box in points.all():
                box.fill("4")
            clicks.click(page.get_by_role("button", name=label("Complete and go to the next")))
        else:  # the last one with the keyboard alone
            points.first.focus()
            for _criterion in range(3):
                page.keyboard.type("5")
                page.keyboard.press("Tab")  # the criterion's comment
                page.keyboard.press("Tab")  # the next criterion's points
            page.get_by_role("button", name=label("Complete and go to the next")).focus()
            page.keyboard.press("Enter")
        per_dossier.append(clicks.count - before + (1 if index == 0 else 0))
    expect(page.locator(".messagelist")).to_be_visible()
    shooter.shoot(page, "review-queue", "queue-done")
    assert max(per_dossier) <= 2, per_dossier
    assert Review.objects.filter(reviewer=me, status=ReviewStatus.COMPLETED).count() == DOSSIERS


def test_dossier_list_fits_1366_pixels_with_status_score_spread_and_reviews(open_browser, shooter, queue_world):
    me, _dossiers = queue_world
    page = open_browser().new_page()
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(reverse("admin:login"))
    page.get_by_label(label("e-mail address")).fill(me.email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("button", name=label("Log in")).click()
    page.goto(reverse("admin:applications_dossier_changelist"))
    shooter.shoot(page, "review-queue", "changelist-1366")
    assert_accessible(page, "dossier changelist", preload=False)
    # Visible: inside the list's scrolling box (which clips what overflows it), not only inside the window.
    results = page.locator("#changelist .results").bounding_box()
    for column in ("shown_status_label", "score", "spread", "reviews_done"):
        box = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= results["x"] + results["width"] + 0.5, (column, box)
    assert page.evaluate("document.querySelector('#changelist .results').scrollWidth") <= results["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
