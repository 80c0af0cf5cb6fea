"""axe-core on every public page: no violation of impact serious or critical.

The applicant pages (official home, sections, attachments, checklist, confirmation, receipt) are audited in
test_official_journey.py, logged in as an official.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.states import DossierStatus
from tests.factories import CampaignFactory, CommuneFactory, DossierFactory, WaveFactory

from .helpers import AccessibilityAudit, url_exists

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def published_laureate():
    now = timezone.now()
    campaign = CampaignFactory(slug="ami-a11y", name="AMI accessibilité")
    wave = WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=60),
        publishes_at=now - timedelta(days=1),
    )
    # An open wave too, so that the home page shows its call to apply.
    WaveFactory(campaign=CampaignFactory(slug="ami-ouvert-a11y"), number=1)
    return DossierFactory(
        wave=wave,
        campaign=campaign,
        commune=CommuneFactory(name="Vierzon", insee_code="18279"),
        status=DossierStatus.LAUREATE,
        decided_at=now - timedelta(days=5),
        title="Le Cnam à Vierzon",
    )


def test_public_pages_have_no_serious_accessibility_violation(page, shooter, published_laureate):
    slug, code = published_laureate.campaign.slug, published_laureate.commune.insee_code
    pages = {
        "home": reverse("home"),
        "results": reverse("results-index"),
        "campaign-results": reverse("results-campaign", kwargs={"slug": slug}),
        "wave-results": reverse("results-wave", kwargs={"slug": slug, "number": 1}),
        "laureate": reverse("results-laureate", kwargs={"slug": slug, "code": code}),
        "open-data": reverse("opendata"),
        "call-page": reverse("applications:campaign", kwargs={"slug": "ami-ouvert-a11y"}) + "?q=Vierzon",
    }
    audit = AccessibilityAudit()
    for where, url in pages.items():
        page.goto(url)
        shooter.shoot(page, "a11y", where)
        audit.check(page, where)
    audit.assert_clean()


def _account_pages() -> list[str]:
    """Every page of the accounts app that takes no argument (sign-up, log-in, password reset...)."""
    from django.urls import get_resolver

    resolver = get_resolver().namespace_dict["accounts"]
    names = {name for name in resolver[1].reverse_dict if isinstance(name, str)}
    # The single sign-on pages are off here (404 without OIDC_ISSUER); tests/browser/test_sso_browser.py audits them.
    return sorted(
        f"accounts:{name}" for name in names if url_exists(f"accounts:{name}") and not name.startswith("sso_")
    )


def test_account_pages_have_no_serious_accessibility_violation(page, shooter):
    audit = AccessibilityAudit()
    names = _account_pages()
    assert {"accounts:login", "accounts:signup"} <= set(names)
    for name in names:
        response = page.goto(reverse(name))
        if response.status != 200 or response.url.rstrip("/") != page.url.rstrip("/"):
            continue  # POST-only (log-out) or a page that sends anonymous visitors elsewhere
        shooter.shoot(page, "a11y", name.split(":")[1])
        audit.check(page, name)
    # A refused log-in shows its error: that state must be accessible too.
    page.goto(reverse("accounts:login"))
    page.locator("main form input[type=password]").first.fill("wrong-password")
    page.locator("main form").filter(has=page.locator("input[type=password]")).locator("[type=submit]").last.click()
    audit.check(page, "log-in with an error")
    audit.assert_clean()
