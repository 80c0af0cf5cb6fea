"""Journey 1: a city official signs up, verifies the address, fills the dossier over two sittings, uploads the
attachments, submits, and downloads the receipt. And the same core path with JavaScript disabled."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Dossier
from applications.states import DossierStatus
from tests.factories import CampaignFactory, CommuneFactory, WaveFactory, official

from . import dossier_steps as steps
from .helpers import (
    AccessibilityAudit,
    field_label,
    label,
    log_in,
    log_out,
    sign_up,
    text_prefix,
    verify_email,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Montbard-2026-solide!"


@pytest.fixture
def open_wave():
    now = timezone.now()
    campaign = CampaignFactory(slug="ami-journee-officiel", name="AMI Au cœur des territoires — 3e AMI")
    return WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
        publishes_at=now + timedelta(days=60),
    )


@pytest.fixture
def montbard():
    return CommuneFactory(name="Montbard", insee_code="21425", postal_codes=["21500"], population=5100)


def _start_dossier(page, wave) -> Dossier:
    page.goto(reverse("applications:home"))
    page.get_by_role("button", name=text_prefix("Start the dossier of %(applicant)s for %(campaign)s")).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return Dossier.objects.get(campaign=wave.campaign)


def test_official_signs_up_fills_the_dossier_over_two_sittings_and_submits(
    open_browser, browser_problems, shooter, open_wave, montbard, tmp_path
):
    page = open_browser().new_page()
    email = "claire.dumont@montbard.example"
    sign_up(page, email=email, password=PASSWORD, commune=montbard)
    shooter.shoot(page, "official", "signed-up")
    verify_email(page, email)
    shooter.shoot(page, "official", "address-verified")
    log_in(page, email, PASSWORD)
    dossier = _start_dossier(page, open_wave)
    shooter.shoot(page, "official", "dossier-started")

    first_sitting = steps.ALL_SECTIONS[:4]
    steps.fill_sections(page, dossier, first_sitting)
    shooter.shoot(page, "official", "first-sitting")
    log_out(page)

    log_in(page, email, PASSWORD)
    page.goto(reverse("applications:dossier", kwargs={"pk": dossier.pk}))
    shooter.shoot(page, "official", "back-for-second-sitting")
    steps.fill_sections(page, dossier, steps.ALL_SECTIONS[4:])
    shooter.shoot(page, "official", "second-sitting")

    page.goto(reverse("applications:attachments", kwargs={"pk": dossier.pk}))
    hostile = tmp_path / "lettre.pdf"
    hostile.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200)
    steps.upload(page, "Letter of commitment signed by the mayor or president", hostile)
    expect(page.get_by_role("alert").first).to_be_visible()
    browser_problems.expect_http_error(page, status=400, path=reverse("applications:attachments", args=[dossier.pk]))
    shooter.shoot(page, "official", "executable-refused")
    steps.upload_required_attachments(page, dossier, tmp_path)
    shooter.shoot(page, "official", "attachments")

    page.goto(reverse("applications:submit", kwargs={"pk": dossier.pk}))
    expect(page.get_by_role("heading", name=label("Holder's mandate"))).to_be_visible()
    shooter.shoot(page, "official", "mandate-awaiting-verification")
    steps.mandate_verified_by_the_region(dossier)
    steps.submit(page, dossier)
    shooter.shoot(page, "official", "receipt")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED

    with page.expect_download() as download_info:
        page.get_by_role("link", name=label("Download the receipt (PDF)")).click()
    receipt = tmp_path / "receipt.pdf"
    download_info.value.save_as(receipt)
    assert receipt.read_bytes().startswith(b"%PDF")
    assert dossier.reference.encode() in _pdf_text(receipt)


def _pdf_text(path) -> bytes:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages).encode()


@pytest.fixture
def official_with_a_started_dossier(open_wave, montbard):
    user = official(commune=montbard, user__email="dgs@montbard.example", user__password=PASSWORD)
    dossier = Dossier.objects.create(
        campaign=open_wave.campaign, wave=open_wave, reference="AMI-NOJS-0001", commune=montbard, owner=user
    )
    steps.mandate_verified_by_the_region(dossier)
    return user, dossier


def test_dossier_is_filled_and_submitted_without_javascript(
    open_browser, shooter, official_with_a_started_dossier, tmp_path
):
    user, dossier = official_with_a_started_dossier
    page = open_browser(javascript=False).new_page()
    log_in(page, user.email, PASSWORD)
    steps.fill_sections(page, dossier, steps.ALL_SECTIONS)
    shooter.shoot(page, "nojs", "sections")
    steps.upload_required_attachments(page, dossier, tmp_path)
    steps.submit(page, dossier)
    shooter.shoot(page, "nojs", "receipt")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_applicant_pages_have_no_serious_accessibility_violation(
    open_browser, browser_problems, official_with_a_started_dossier, tmp_path
):
    """The official's home, every section, the attachments, the checklist, the confirmation and the receipt."""
    user, dossier = official_with_a_started_dossier
    page = open_browser().new_page()
    audit = AccessibilityAudit()
    log_in(page, user.email, PASSWORD)
    pages = [
        ("official home", reverse("applications:home")),
        ("dossier", reverse("applications:dossier", args=[dossier.pk])),
    ]
    pages += [
        (f"section {key}", reverse("applications:section", kwargs={"pk": dossier.pk, "key": key}))
        for key in steps.ALL_SECTIONS
    ]
    pages += [
        ("attachments", reverse("applications:attachments", args=[dossier.pk])),
        ("checklist", reverse("applications:submit", args=[dossier.pk])),
        ("team", reverse("applications:team", args=[dossier.pk])),
    ]
    for where, url in pages:
        page.goto(url)
        audit.check(page, where)
    # An invalid section keeps what was typed and shows its errors: that state must be accessible too.
    page.goto(reverse("applications:section", kwargs={"pk": dossier.pk, "key": "budget"}))
    page.get_by_label(field_label(Dossier, "budget_total")).fill("1000")
    page.get_by_label(field_label(Dossier, "cofinancing_territory")).fill("5000")
    page.get_by_role("button", name=label("Save")).click()
    browser_problems.expect_http_error(
        page, status=400, path=reverse("applications:section", kwargs={"pk": dossier.pk, "key": "budget"})
    )
    audit.check(page, "section with errors")
    steps.fill_sections(page, dossier, steps.ALL_SECTIONS)
    steps.upload_required_attachments(page, dossier, tmp_path)
    page.goto(reverse("applications:submit", args=[dossier.pk]))
    audit.check(page, "submission confirmation")
    steps.submit(page, dossier)
    audit.check(page, "receipt")
    audit.assert_clean()
