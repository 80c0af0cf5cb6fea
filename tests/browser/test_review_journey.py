"""Journey 2: a regional reviewer logs into the admin and scores a submitted dossier of their région; a national
coordinator records the committee's decision (reviews/admin/workflow.py, reviews/admin/dossier.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from applications.models import Dossier
from applications.states import DossierStatus
from tests.factories import DossierFactory, RegionFactory, WaveFactory, reviewer

from .helpers import label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Relecture-solide-2026!"


def _admin_log_in(page, email: str) -> None:
    page.goto(reverse("admin:login"))
    page.get_by_label(label("e-mail address")).fill(email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("button", name=label("Log in")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.fixture
def dossier_under_review():
    from reviews.models import Criterion, ScoringGrid

    now = timezone.now()
    wave = WaveFactory(opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=1))
    region = RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    dossier = DossierFactory(wave=wave, campaign=wave.campaign, status=DossierStatus.UNDER_REVIEW, submitted_at=now)
    Dossier.objects.filter(pk=dossier.pk).update(region=region)
    grid = ScoringGrid.objects.create(campaign=wave.campaign)
    for position, name in enumerate(["Besoins du territoire", "Partenariats", "Locaux"]):
        Criterion.objects.create(grid=grid, label=name, position=position)
    return dossier, region


def _staff(role, region, email):
    user = reviewer(region, email=email, password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def test_reviewer_scores_and_coordinator_records_the_decision(open_browser, shooter, dossier_under_review):
    dossier, region = dossier_under_review
    reviewer_x = _staff(Role.REGIONAL_REVIEWER, region, "relecteur@cnam.example")
    coordinator = _staff(Role.COORDINATOR, region, "coordination@cnam.example")

    page = open_browser().new_page()
    _admin_log_in(page, reviewer_x.email)
    shooter.shoot(page, "review", "reviewer-admin-home")
    page.goto(reverse("admin:applications_dossier_change", args=[dossier.pk]))
    shooter.shoot(page, "review", "dossier-in-admin")
    page.get_by_role("button", name=label("Score this dossier")).click()
    points = page.get_by_role("spinbutton")
    expect(points.first).to_be_visible()
    for box in points.all():
        box.fill("4")
    shooter.shoot(page, "review", "scores-typed")
    page.get_by_role("button", name=label("Save and complete the review")).click()
    expect(page.locator(".messagelist .success, .messagelist li").first).to_be_visible()
    shooter.shoot(page, "review", "review-completed")
    assert dossier.reviews.get(reviewer=reviewer_x).status != "draft"

    page = open_browser().new_page()
    _admin_log_in(page, coordinator.email)
    page.goto(reverse("admin:applications_dossier_change", args=[dossier.pk]))
    page.get_by_role("link", name=label("Record the decision")).click()
    page.get_by_label(label("Laureate")).check()
    page.get_by_label(label("Justification")).fill("Besoins avérés, partenaires engagés, locaux prêts.")
    shooter.shoot(page, "review", "decision-form")
    page.get_by_role("button", name=label("Confirm")).click()
    shooter.shoot(page, "review", "decided")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.LAUREATE
