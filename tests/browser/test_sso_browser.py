"""Single sign-on of Cnam staff in a real browser, against the real OpenID provider started on the loopback
(tests/oidc_provider, panva/oidc-provider): log-in at the provider's form, callback, roles and régions mapped, log-out
at the provider; and the bad cases, each ending on the French page with a way to try again."""

import re
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import SsoRoleMapping, User
from accounts.roles import Role
from applications.models import Dossier
from applications.states import DossierStatus
from tests.factories import DossierFactory, RegionFactory, UserFactory, WaveFactory
from tests.oidc import PASSWORD, enable_sso

from .helpers import assert_accessible, label

pytestmark = [
    pytest.mark.browser,
    pytest.mark.oidc_provider,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CALLBACK = "/compte/cnam/retour/"
CNAM_BUTTON = re.compile(r"^\s*(Se connecter avec le compte Cnam|Log in with the Cnam account)\s*$")


@pytest.fixture
def provider(oidc_providers, live_server, settings):
    running = oidc_providers(live_server.url)
    enable_sso(settings, running)
    return running


@pytest.fixture
def mappings():
    """ami-relecteurs-bfc → regional reviewer of Bourgogne-Franche-Comté; cnam-comptabilite is not mapped."""
    bfc = RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    hdf = RegionFactory(code="32", name="Hauts-de-France")
    reviewers = SsoRoleMapping.objects.create(claim_value="ami-relecteurs-bfc")
    reviewers.groups.add(Group.objects.get(name=Role.REGIONAL_REVIEWER))
    reviewers.regions.add(bfc)
    return bfc, hdf


def submitted_dossier(region, reference):
    now = timezone.now()
    wave = WaveFactory(opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=1))
    dossier = DossierFactory(
        wave=wave, campaign=wave.campaign, reference=reference, status=DossierStatus.SUBMITTED, submitted_at=now
    )
    Dossier.objects.filter(pk=dossier.pk).update(region=region)
    return dossier


def provider_log_in(page, login: str) -> None:
    """The person types their Cnam credentials in the provider's own form."""
    expect(page.get_by_label("Identifiant")).to_be_visible()
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def start_sso(page) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_role("link", name=CNAM_BUTTON).click()


def hold_callback(page) -> list[str]:
    """Stops the browser before the portal's callback; returns the list the callback URL lands in.

    Playwright routes only the first request of a redirect chain, so the log-in form's POST at the provider is
    routed: its redirects (log-in → authorization → consent → authorization → callback) are followed with the
    browser context's own cookies up to the callback, and the browser is shown a placeholder page instead."""
    held: list[str] = []

    def follow(route):
        response = route.fetch(max_redirects=0)
        while response.status in (302, 303) and CALLBACK not in response.headers["location"]:
            location = urljoin(response.url, response.headers["location"])
            response = page.context.request.get(location, max_redirects=0)
        held.append(urljoin(response.url, response.headers["location"]))
        route.fulfill(status=200, content_type="text/html", body="<!DOCTYPE html><title>attente</title>")

    page.route(re.compile(r"/interaction/[^/]+/login$"), follow)
    return held


def wait_for(held: list, page) -> None:
    for _ in range(200):
        if held:
            return
        page.wait_for_timeout(50)
    raise AssertionError("the provider never sent the browser to the portal's callback")


def expect_refusal_answer(browser_problems, page, status: int) -> None:
    """The refusal page is a 4xx answer on purpose: take back the console line Chromium writes for it."""

    def provoked(problem: str) -> bool:
        return f"status of {status} (" in problem and CALLBACK in problem

    for _ in range(100):
        if any(provoked(problem) for problem in browser_problems.found):
            break
        page.wait_for_timeout(50)
    assert browser_problems.take(provoked), f"no {status} answer reported:\n  {browser_problems.report()}"


def test_reviewer_logs_in_with_the_cnam_account_works_in_her_regions_and_logs_out_at_the_provider(
    open_browser, provider, mappings, shooter, live_server
):
    bfc, hdf = mappings
    submitted_dossier(bfc, "AMI-SSO-00027")
    submitted_dossier(hdf, "AMI-SSO-00032")
    page = open_browser().new_page()

    page.goto(reverse("accounts:login"))
    assert_accessible(page, "log-in page with the Cnam button")
    shooter.shoot(page, "sso", "login-page")
    page.get_by_role("link", name=CNAM_BUTTON).click()
    expect(page).to_have_url(re.compile(re.escape(provider.issuer) + "/interaction/"))
    shooter.shoot(page, "sso", "provider-form")
    provider_log_in(page, "relectrice@cnam.test")

    # The callback maps her groups claim: regional reviewer of Bourgogne-Franche-Comté, in the admin.
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:index")) + "$"))
    shooter.shoot(page, "sso", "admin-home")
    user = User.objects.get(email="relectrice@cnam.test")
    assert list(user.groups.values_list("name", flat=True)) == [Role.REGIONAL_REVIEWER]
    assert list(user.staff_regions) == [bfc]
    page.goto(reverse("admin:applications_dossier_changelist"))
    expect(page.get_by_role("link", name="AMI-SSO-00027")).to_be_visible()
    expect(page.get_by_text("AMI-SSO-00032")).to_have_count(0)
    shooter.shoot(page, "sso", "dossiers-of-her-region")

    # Log-out from the admin ends the provider's session too: the provider confirms, then sends her home.
    page.get_by_role("button", name=label("Log out")).click()
    expect(page).to_have_url(re.compile(re.escape(provider.issuer) + "/session/end"))
    shooter.shoot(page, "sso", "provider-log-out")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(live_server.url + "/")
    page.goto(reverse("accounts:profile"))
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:login"))))
    # The provider forgot her: a new SSO log-in asks for her credentials again.
    page.get_by_role("link", name=CNAM_BUTTON).click()
    expect(page.get_by_label("Mot de passe")).to_be_visible()


def test_a_wrong_state_ends_on_the_french_page_whose_link_starts_again(
    open_browser, provider, mappings, browser_problems, shooter
):
    page = open_browser().new_page()
    held = hold_callback(page)
    start_sso(page)
    provider_log_in(page, "relectrice@cnam.test")
    wait_for(held, page)
    parts = urlsplit(held[0])
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query["state"] = "etat-falsifie"

    page.goto(parts._replace(query=urlencode(query)).geturl())

    expect(page.get_by_role("heading", level=1)).to_have_text("Demande de connexion expirée")
    expect_refusal_answer(browser_problems, page, 400)
    assert_accessible(page, "SSO refusal page (wrong state)")
    shooter.shoot(page, "sso", "wrong-state")
    assert not User.objects.filter(email="relectrice@cnam.test").exists()
    # Trying again works: the provider still knows her, the new state is right.
    page.get_by_role("link", name=re.compile("Réessayer")).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:index")) + "$"))


def test_an_expired_code_ends_on_the_french_page(
    open_browser, oidc_providers, live_server, settings, mappings, browser_problems, shooter
):
    enable_sso(settings, oidc_providers(live_server.url, code_ttl=2))
    page = open_browser().new_page()
    held = hold_callback(page)
    start_sso(page)
    provider_log_in(page, "relectrice@cnam.test")
    wait_for(held, page)
    time.sleep(3)  # the code lives 2 seconds at this provider

    page.goto(held[0])

    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion non confirmée par le fournisseur")
    expect_refusal_answer(browser_problems, page, 400)
    assert_accessible(page, "SSO refusal page (expired code)")
    shooter.shoot(page, "sso", "expired-code")
    assert not User.objects.filter(email="relectrice@cnam.test").exists()


@pytest.mark.parametrize("login", ["inconnu@cnam.test", "comptable@cnam.test"], ids=["unknown-user", "unmapped-group"])
def test_a_user_without_a_mapped_role_is_refused_and_may_use_another_cnam_account(
    open_browser, provider, mappings, browser_problems, shooter, login
):
    page = open_browser().new_page()
    start_sso(page)
    provider_log_in(page, login)

    expect(page.get_by_role("heading", level=1)).to_have_text("Aucun rôle sur le portail pour ce compte Cnam")
    expect_refusal_answer(browser_problems, page, 403)
    assert_accessible(page, "SSO refusal page (no role)")
    shooter.shoot(page, "sso", f"refused-{login.split('@')[0]}")
    assert not User.objects.filter(email=login).exists()
    # "Another Cnam account": the provider asks for credentials again instead of reusing its session.
    page.get_by_role("link", name="Se connecter avec un autre compte Cnam").click()
    provider_log_in(page, "relectrice@cnam.test")
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:index")) + "$"))


def test_a_user_deactivated_in_the_portal_is_refused(open_browser, provider, mappings, browser_problems, shooter):
    UserFactory(email="desactive@cnam.test", is_active=False, is_staff=True)
    page = open_browser().new_page()
    start_sso(page)
    provider_log_in(page, "desactive@cnam.test")

    expect(page.get_by_role("heading", level=1)).to_have_text("Compte désactivé")
    expect_refusal_answer(browser_problems, page, 403)
    assert_accessible(page, "SSO refusal page (deactivated)")
    shooter.shoot(page, "sso", "deactivated")
    assert not User.objects.get(email="desactive@cnam.test").is_active


def test_an_account_locked_out_by_wrong_passwords_cannot_get_in_through_sso(
    open_browser, provider, mappings, browser_problems, shooter, settings
):
    UserFactory(email="bloque@cnam.test", is_staff=True)
    page = open_browser().new_page()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        page.goto(reverse("accounts:login"))
        page.locator("main form input[type=email]").fill("Bloque@cnam.test")
        page.locator("main form input[type=password]").fill("pas-le-bon")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    browser_problems.take(lambda problem: "status of 429 (" in problem)  # the last wrong password is locked out

    start_sso(page)
    provider_log_in(page, "bloque@cnam.test")

    expect(page.get_by_role("heading", level=1)).to_have_text("Trop de tentatives de connexion échouées")
    expect_refusal_answer(browser_problems, page, 429)
    assert_accessible(page, "SSO refusal page (locked out)")
    shooter.shoot(page, "sso", "locked-out")
    page.goto(reverse("accounts:profile"))
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:login"))))
