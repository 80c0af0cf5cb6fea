"""The API in a real browser: the documentation page (vendored Swagger UI under the site's CSP) lists the endpoints
and calls one; a reviewer creates a token in their account, sees it once, uses it, and revokes it.

Console errors and CSP violations fail these tests (browser_problems)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from applications.states import DossierStatus
from tests.factories import CampaignFactory, CommuneFactory, DossierFactory, WaveFactory, reviewer

from .helpers import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Evaluateur-solide-2026!"


@pytest.fixture
def published_laureate():
    now = timezone.now()
    wave = WaveFactory(
        campaign=CampaignFactory(slug="ami-api", name="AMI API"),
        number=1,
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=60),
        publishes_at=now - timedelta(days=1),
    )
    return DossierFactory(
        wave=wave,
        campaign=wave.campaign,
        commune=CommuneFactory(name="Vierzon", insee_code="18279"),
        status=DossierStatus.LAUREATE,
        decided_at=now - timedelta(days=5),
    )


def test_the_documentation_page_renders_the_schema_and_calls_a_public_endpoint(page, shooter, published_laureate):
    page.goto("/api/documentation/")
    expect(page.get_by_role("heading", name="Documentation de l'API", level=1)).to_be_visible()
    operation = page.locator("#operations-Données_publiques-api_public_laureates")
    expect(operation).to_be_visible()
    expect(page.get_by_text("Réseau des antennes").first).to_be_visible()
    shooter.shoot(page, "api", "docs")
    assert_accessible(page, "API documentation")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_contain_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text("Vierzon")


def test_a_reviewer_creates_a_token_sees_it_once_and_revokes_it(page, shooter, live_server):
    user = reviewer(email="evaluatrice@cnam.example", password=PASSWORD)
    user.groups.add(Group.objects.get(name=Role.REGIONAL_REVIEWER))
    log_in(page, user.email, PASSWORD)
    page.goto("/compte/profil/")
    page.get_by_role("link", name="Mes jetons d'API").click()
    page.get_by_label("Nom du jeton").fill("Tableau régional")
    page.get_by_role("button", name="Créer le jeton").click()
    key = page.locator("#new-token").inner_text()
    assert key.startswith("ami_")
    shooter.shoot(page, "api", "token-created")
    assert_accessible(page, "API tokens")
    answer = page.request.get(f"{live_server.url}/api/v1/staff/dossiers", headers={"Authorization": f"Bearer {key}"})
    assert answer.status == 200
    page.goto("/compte/jetons-api/")
    expect(page.locator("#new-token")).to_have_count(0)
    page.get_by_role("button", name="Révoquer le jeton Tableau régional").click()
    expect(page.get_by_text("Le jeton « Tableau régional » est révoqué")).to_be_visible()
    answer = page.request.get(f"{live_server.url}/api/v1/staff/dossiers", headers={"Authorization": f"Bearer {key}"})
    assert answer.status == 401
