"""Journey 3: the press team exports the laureates under embargo; after publication anyone sees them.

Time moves by editing the wave's ``publishes_at`` in the database (the live server runs in another thread: the clock
is not frozen across them).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from applications.models import Wave
from applications.states import DossierStatus
from tests.factories import CampaignFactory, CommuneFactory, DossierFactory, UserFactory, WaveFactory

from .helpers import assert_accessible, label, log_in, text_prefix

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Presse-solide-2026!"


@pytest.fixture
def decided_wave():
    """A closed wave of a campaign whose laureate is decided but embargoed until tomorrow."""
    now = timezone.now()
    campaign = CampaignFactory(slug="ami-journee-presse", name="AMI Au cœur des territoires — vague presse")
    wave = WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=10),
        publishes_at=now + timedelta(days=1),
    )
    laureate = DossierFactory(
        wave=wave,
        campaign=campaign,
        commune=CommuneFactory(name="Montbard-sur-Brenne", insee_code="21425"),
        reference="AMI-J3-0001",
        status=DossierStatus.LAUREATE,
        submitted_at=now - timedelta(days=20),
        decided_at=now - timedelta(days=2),
        title="Campus connecté des métiers de l'industrie",
    )
    return wave, laureate


@pytest.fixture
def press_user():
    user = UserFactory(email="presse@cnam.example", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=Role.PRESS)[0])
    return user


def test_press_exports_under_embargo_then_the_public_sees_the_laureate(
    open_browser, browser_problems, shooter, decided_wave, press_user, tmp_path
):
    wave, laureate = decided_wave
    name = laureate.commune.name

    press = open_browser().new_page()
    log_in(press, press_user.email, PASSWORD)
    press.goto("/presse/")
    expect(press.get_by_role("heading", level=1)).to_be_visible()
    shooter.shoot(press, "press", "press-home")
    press.goto(f"/presse/{wave.campaign.slug}/vague-{wave.number}/")
    expect(
        press.get_by_text(text_prefix("EMBARGO until %(when)s (Paris time): do not publish before.")).first
    ).to_be_visible()
    expect(press.get_by_role("rowheader", name=name)).to_be_visible()
    shooter.shoot(press, "press", "embargoed-wave")

    press.get_by_label(label("Format")).select_option("csv-comma")
    with press.expect_download() as download_info:
        press.get_by_role("button", name=label("Export this wave")).click()
    download = download_info.value
    assert "EMBARGO" in download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_text(encoding="utf-8-sig")
    assert "EMBARGO" in content.splitlines()[0]
    assert name in content

    visitor = open_browser().new_page()
    laureate_path = f"/resultats/{wave.campaign.slug}/{laureate.commune.insee_code}/"
    response = visitor.goto(laureate_path)
    assert response.status == 404, "an embargoed laureate must not be public"
    browser_problems.expect_http_error(visitor, status=404, path=laureate_path)
    shooter.shoot(visitor, "press", "public-before-publication")

    Wave.objects.filter(pk=wave.pk).update(publishes_at=timezone.now() - timedelta(minutes=1))

    visitor.goto(f"/resultats/{wave.campaign.slug}/")
    # The city is linked twice: from its marker on the map and from the list (the link followed here).
    expect(visitor.get_by_role("group").get_by_role("link", name=name)).to_be_visible()
    link = visitor.get_by_role("table").get_by_role("link", name=name)
    expect(link).to_be_visible()
    shooter.shoot(visitor, "press", "public-results")
    assert_accessible(visitor, "public results of a campaign")
    link.click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(name)
    expect(visitor.get_by_text(laureate.title).first).to_be_visible()
    shooter.shoot(visitor, "press", "public-laureate")
    assert_accessible(visitor, "laureate page")
