"""The territorial network in a real browser: the map drawn from real geometry at desktop and phone widths, its
markers reachable with the keyboard, and no serious accessibility violation on the new public pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.states import DossierStatus
from network.models import Antenna
from tests.factories import (
    CampaignFactory,
    CommuneFactory,
    DepartementFactory,
    DossierFactory,
    RegionFactory,
    WaveFactory,
)

from .helpers import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# (INSEE, name, département, région, latitude, longitude)
CITIES = [
    ("29019", "Brest", "29", "53", 48.3904, -4.4861),
    ("71076", "Chalon-sur-Saône", "71", "27", 46.7806, 4.8539),
    ("67482", "Strasbourg", "67", "44", 48.5734, 7.7521),
    ("13055", "Marseille", "13", "93", 43.2965, 5.3698),
    ("59350", "Lille", "59", "32", 50.6292, 3.0573),
    ("64445", "Pau", "64", "75", 43.2951, -0.3708),
    ("2A004", "Ajaccio", "2A", "94", 41.9192, 8.7386),
    ("97411", "Saint-Denis", "974", "04", -20.8823, 55.4504),
]


@pytest.fixture
def published_network():
    now = timezone.now()
    campaign = CampaignFactory(slug="ami-reseau", name="1er AMI — réseau", is_historical=True)
    wave = WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=300),
        publishes_at=now - timedelta(days=290),
    )
    today = timezone.localdate()
    for index, (code, name, dep, region, lat, lon) in enumerate(CITIES):
        departement = DepartementFactory(
            code=dep, name=f"Département {dep}", region=RegionFactory(code=region, name=f"Région {region}")
        )
        commune = CommuneFactory(insee_code=code, name=name, departement=departement, latitude=lat, longitude=lon)
        dossier = DossierFactory(
            wave=wave,
            campaign=campaign,
            commune=commune,
            status=DossierStatus.LAUREATE,
            decided_at=now - timedelta(days=295),
            reference=f"AMI-R-{index:03d}",
        )
        milestones = {}
        if index % 3 != 2:
            milestones["convention_signed_on"] = today - timedelta(days=200)
        if index % 3 == 0:
            milestones["opened_on"] = today - timedelta(days=100)
        Antenna.objects.create(dossier=dossier, **milestones)
    return campaign


@pytest.mark.parametrize("width, height", [(1280, 900), (375, 800)])
def test_network_page_draws_france_with_the_antennas(open_browser, shooter, published_network, width, height):
    page = open_browser().new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(reverse("network:overview"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("réseau territorial")
    assert page.locator(".france-map svg path").count() == 96
    assert page.locator(".france-map svg a").count() == len(CITIES)
    shooter.shoot(page, f"network-{width}", "overview")
    assert_accessible(page, f"network page at {width}px")


def test_map_markers_are_keyboard_links_to_the_city_pages(page, published_network):
    page.goto(reverse("network:overview"))
    link = page.locator('.france-map svg a[href="/resultats/ami-reseau/71076/"]')
    link.focus()
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chalon-sur-Saône")
    expect(page.get_by_text("L'antenne du Cnam")).to_be_visible()
    assert_accessible(page, "city page with its antenna")


def test_campaign_network_and_results_pages_are_accessible(page, shooter, published_network):
    page.goto(reverse("network:campaign", kwargs={"slug": published_network.slug}))
    shooter.shoot(page, "network", "campaign")
    assert_accessible(page, "campaign network page")
    page.goto(reverse("results-campaign", kwargs={"slug": published_network.slug}))
    shooter.shoot(page, "network", "results-map")
    assert_accessible(page, "results page with the France map")


def test_official_reports_the_yearly_figures_of_their_antenna(page, shooter, published_network):
    from network.models import AntennaReport
    from tests.factories import UserFactory

    antenna = Antenna.objects.filter(opened_on__isnull=False).select_related("dossier").first()
    owner = UserFactory(email="maire.reseau@example.fr", password="Reseau-solide-2026!")
    antenna.dossier.owner = owner
    antenna.dossier.save()
    log_in(page, owner.email, "Reseau-solide-2026!")
    page.goto(reverse("applications:home"))
    page.get_by_role("link", name="Antenne du Cnam à").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("L'antenne du Cnam")
    assert_accessible(page, "the official's antenna page")
    page.get_by_label("Entrées en formation").fill("24")
    page.get_by_role("button", name="Enregistrer les chiffres").click()
    expect(page.get_by_text("ont été enregistrés")).to_be_visible()
    shooter.shoot(page, "network", "official-report")
    assert AntennaReport.objects.get(antenna=antenna).enrolments == 24


def test_coordinator_sees_the_coverage_map_in_the_admin(open_browser, live_server, shooter, published_network):
    from django.test import Client

    from accounts.roles import Role
    from network.models import CnamCentre
    from tests.factories import UserFactory

    from ..network.conftest import in_group

    now = timezone.now()
    wave = WaveFactory(
        opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1), publishes_at=now + timedelta(days=30)
    )
    DossierFactory(
        wave=wave,
        campaign=wave.campaign,
        status=DossierStatus.SUBMITTED,
        reference="AMI-C-0001",
        commune=CommuneFactory(
            insee_code="56260",
            name="Vannes",
            latitude=47.6582,
            longitude=-2.7608,
            departement=DepartementFactory(code="56", name="Morbihan"),
        ),
    )
    CnamCentre.objects.create(
        name="Cnam Bretagne (Rennes)",
        latitude=48.1173,
        longitude=-1.6778,
        commune=CommuneFactory(insee_code="35238", name="Rennes"),
    )
    coordinator = in_group(UserFactory(is_staff=True), Role.COORDINATOR)
    from django.contrib.auth.models import Permission

    coordinator.user_permissions.add(*Permission.objects.filter(content_type__app_label="network"))
    client = Client()
    client.force_login(coordinator)
    context = open_browser()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(reverse("admin:network_antenna_coverage") + f"?wave={wave.pk}")
    expect(page.get_by_role("heading", name="Candidats de la vague")).to_be_visible()
    expect(page.get_by_role("cell", name="km — Cnam Bretagne (Rennes)")).to_be_visible()
    assert page.locator(".france-map svg path").count() == 96
    shooter.shoot(page, "network", "coverage-admin")
