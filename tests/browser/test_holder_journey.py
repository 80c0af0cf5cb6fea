"""Journey (issue 10): a regional reviewer opens the mandates awaiting verification in the admin, opens a draft's
holder page, verifies the holder's mandate on the basis of the signed letter, then a coordinator transfers the
dossier to the mayor; the official who lost it sees the territory held, without the holder's name."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from applications.models import AttachmentKind, DossierHolderLog, HolderAction
from tests.applications.submission_support import attach
from tests.factories import DossierFactory, RegionFactory, official, reviewer

from .helpers import label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Relecture-solide-2026!"


def _staff(role, region, email):
    user = reviewer(region, email=email, password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _admin_log_in(page, email: str) -> None:
    page.goto(reverse("admin:login"))
    page.get_by_label(label("e-mail address")).fill(email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("button", name=label("Log in")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_reviewer_verifies_the_mandate_and_coordinator_transfers_the_dossier(open_browser, shooter):
    region = RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    dossier = DossierFactory(unverified_holder=True, commune__departement__region=region)
    attach(dossier, AttachmentKind.COMMITMENT_LETTER)
    reviewer_x = _staff(Role.REGIONAL_REVIEWER, region, "relecteur@cnam.example")

    page = open_browser().new_page()
    _admin_log_in(page, reviewer_x.email)
    page.goto(reverse("admin:applications_dossier_mandates"))
    shooter.shoot(page, "holders", "mandates-to-verify")
    page.get_by_role("link", name=dossier.reference).click()
    expect(page.get_by_role("link", name="lettre-engagement.pdf")).to_be_visible()
    page.get_by_label(label("Basis of the verification")).fill("Lettre d'engagement signée par le maire le 3 mars")
    shooter.shoot(page, "holders", "verify-form")
    page.get_by_role("button", name=label("Mandate verified")).click()
    expect(page.locator(".messagelist li").first).to_be_visible()
    shooter.shoot(page, "holders", "mandate-verified")
    dossier.refresh_from_db()
    assert dossier.is_holder_mandate_verified and dossier.mandate_verified_by == reviewer_x

    previous = dossier.owner
    mayor = official(commune=dossier.commune)
    coordinator = _staff(Role.COORDINATOR, region, "coordination@cnam.example")
    page = open_browser().new_page()
    _admin_log_in(page, coordinator.email)
    page.goto(reverse("admin:applications_dossier_holders", args=[dossier.pk]))
    page.get_by_label(label("E-mail address of the new holder's account")).fill(mayor.email)
    page.locator("#transfer-form").get_by_label(label("Reason")).fill("Le maire a écrit : il porte le dossier.")
    page.get_by_role("button", name=label("Transfer")).click()
    expect(page.locator(".messagelist li").first).to_be_visible()
    shooter.shoot(page, "holders", "transferred")
    dossier.refresh_from_db()
    assert dossier.owner == mayor and not dossier.is_holder_mandate_verified
    assert DossierHolderLog.objects.filter(action=HolderAction.TRANSFERRED, previous_owner=previous).exists()
