"""Journey: a coordinator reads a dossier's staff discussion, answers it, then reads the ranking by calibrated
score and the dashboard's disagreements; axe-core finds no serious or critical violation on these pages, and no
raw "None" or untranslated English label shows (reviews/discussion.py, reviews/calibration.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import StaffProfile
from accounts.roles import Role
from applications.states import DossierStatus
from notifications.models import EmailKind, OutboxMessage
from reviews import discussion
from reviews.models import Criterion, Review, ReviewStatus, Score, ScoringGrid
from reviews.services import store_review_scores
from tests.factories import CommuneFactory, DepartementFactory, DossierFactory, RegionFactory, UserFactory, WaveFactory

from .helpers import WITHOUT_CSSOM, assert_accessible, label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Relecture-solide-2026!"
ENGLISH_LABELS = ("Calibrated score", "Raw mean", "Discussion between", "Post the message", "Reviewers who disagree")


def _staff(role, regions=(), **kwargs):
    user = UserFactory(is_staff=True, password=PASSWORD, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user).regions.set(regions)
    return user


def _review(dossier, reviewer, points):
    made = Review.objects.create(
        dossier=dossier, reviewer=reviewer, status=ReviewStatus.COMPLETED, completed_at=timezone.now()
    )
    for criterion, value in zip(dossier.campaign.scoring_grid.criteria.all(), points, strict=True):
        Score.objects.create(review=made, criterion=criterion, points=value)
    store_review_scores(reviews=[made])  # as services.complete_review does


@pytest.fixture
def reviewed_wave():
    now = timezone.now()
    wave = WaveFactory(opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=1))
    region = RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    grid = ScoringGrid.objects.create(campaign=wave.campaign)
    Criterion.objects.create(grid=grid, label="Besoins du territoire", weight=Decimal(1), max_points=5, position=0)
    Criterion.objects.create(grid=grid, label="Partenariats", weight=Decimal(2), max_points=10, position=1)
    severe = _staff(Role.REGIONAL_REVIEWER, [region], email="severe@cnam.example", first_name="Sévère")
    lenient = _staff(Role.REGIONAL_REVIEWER, [region], email="indulgent@cnam.example", first_name="Indulgent")
    dossiers = []
    # The severe reviewer scores 4, 8, 12 and 12 (mean 9), the lenient one 12, 20, 16 (mean 16): the fourth dossier,
    # reviewed by the severe one only, gains in the calibrated ranking.
    for index, (low, high) in enumerate([([0, 3], [3, 6]), ([3, 3], [5, 10]), ([3, 6], [5, 7]), ([3, 6], None)]):
        commune = CommuneFactory(departement=DepartementFactory(region=region), region=region)
        dossier = DossierFactory(
            wave=wave,
            campaign=wave.campaign,
            commune=commune,
            status=DossierStatus.UNDER_REVIEW,
            submitted_at=now,
            reference=f"AMI-BFC-000{index + 1}",
        )
        _review(dossier, severe, low)
        if high:
            _review(dossier, lenient, high)
        dossiers.append(dossier)
    return wave, dossiers, severe


def _log_in(page, email):
    page.goto(reverse("admin:login"))
    page.get_by_label(label("e-mail address")).fill(email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("button", name=label("Log in")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _assert_clean_text(page, where):
    text = page.locator("#content").inner_text()
    assert "None" not in text, f"raw None on {where}"
    for english in ENGLISH_LABELS:
        assert english not in text, f"untranslated {english!r} on {where}"


def test_coordinator_reads_the_discussion_and_the_calibrated_ranking(open_browser, shooter, reviewed_wave):
    wave, dossiers, severe = reviewed_wave
    coordinator = _staff(Role.COORDINATOR, email="coordination@cnam.example")
    discussion.post_message(
        dossier=dossiers[1], author=severe, text="Partenariats solides, mais les locaux ne sont pas trouvés."
    )

    page = open_browser().new_page()
    _log_in(page, coordinator.email)
    page.goto(reverse("admin:applications_dossier_change", args=[dossiers[1].pk]))
    panel = page.locator("#discussion")
    expect(panel.get_by_role("heading", name="Discussion")).to_be_visible()
    expect(panel).to_contain_text("les locaux ne sont pas trouvés")
    expect(page.locator("#reviews")).to_contain_text("Les évaluateurs sont en désaccord")
    assert_accessible(page, "dossier page with its discussion", options=WITHOUT_CSSOM)
    _assert_clean_text(page, "dossier page")
    panel.get_by_label(label("Your message to the other reviewers and the committee")).fill(
        "Vu : nous en parlerons en comité."
    )
    shooter.shoot(page, "discussion", "answer-typed")
    panel.get_by_role("button", name=label("Post the message")).click()
    expect(page.locator(".messagelist")).to_contain_text("Votre message a été publié")
    expect(page.locator("#discussion")).to_contain_text("nous en parlerons en comité")
    assert OutboxMessage.objects.filter(kind=EmailKind.REVIEW_DISCUSSION, recipient=severe.email).count() == 1

    page.goto(reverse("admin:applications_dossier_ranking", args=[wave.pk]))
    expect(page.get_by_role("columnheader", name="Note calibrée /20")).to_be_visible()
    page.get_by_role("link", name="Par note calibrée").click()
    expect(page.locator("#content-main caption")).to_have_text("Classement par note calibrée, puis par moyenne brute.")
    expect(page.locator("#ranking-help")).to_contain_text("La note calibrée corrige la sévérité")
    # Campaign mean (4 + 8 + 12 + 12 + 12 + 20 + 16) / 7 = 12; severe offset 12 − 9 = +3: 12 becomes 15.
    expect(page.locator("#content-main tbody tr").first).to_contain_text("AMI-BFC-0004")
    expect(page.locator("#content-main tbody tr").first).to_contain_text("15,00")
    shooter.shoot(page, "discussion", "calibrated-ranking")
    assert_accessible(page, "ranking by calibrated score", options=WITHOUT_CSSOM)
    _assert_clean_text(page, "ranking")

    page.goto(reverse("admin:applications_dossier_dashboard"))
    expect(page.locator("#disagreements")).to_contain_text("AMI-BFC-0002")
    assert_accessible(page, "review dashboard", options=WITHOUT_CSSOM)
    _assert_clean_text(page, "dashboard")
