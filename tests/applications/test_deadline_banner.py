"""The deadline banner on every dossier page of a draft, once its wave closes within DEADLINE_BANNER_DAYS."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from applications.models import DossierMember
from applications.states import DossierStatus
from tests.factories import CampaignFactory, DossierFactory, UserFactory, WaveFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
CLOSES = datetime(2021, 2, 13, 0, 0, tzinfo=PARIS)  # last second: 12 February 2021 at 23:59:59

PAGES = [
    ("applications:dossier", {}),
    ("applications:section", {"key": "territory"}),
    ("applications:team", {}),
    ("applications:attachments", {}),
]


@pytest.fixture
def draft():
    campaign = CampaignFactory()
    wave = WaveFactory(
        campaign=campaign,
        number=2,
        opens_at=CLOSES - timedelta(days=90),
        closes_at=CLOSES,
        publishes_at=CLOSES + timedelta(days=40),
    )
    return DossierFactory(campaign=campaign, wave=wave)


def _page(client, user, dossier, name, extra):
    client.force_login(user)
    return client.get(reverse(name, kwargs={"pk": dossier.pk, **extra})).text


@pytest.mark.parametrize(("name", "extra"), PAGES)
def test_banner_on_every_dossier_page_gives_the_paris_deadline_and_the_time_left(client, draft, name, extra):
    with time_machine.travel(CLOSES - timedelta(days=2, hours=3, minutes=10), tick=False):
        page = _page(client, draft.owner, draft, name, extra)
    assert "La vague 2 se clôt le vendredi 12 février 2021 à 23:59:59 (heure de Paris)." in page
    assert "2 jours, 3 heures restantes" in page


def test_banner_counts_hours_and_minutes_on_the_last_day(client, draft):
    with time_machine.travel(CLOSES - timedelta(hours=5, minutes=30), tick=False):
        page = _page(client, draft.owner, draft, "applications:dossier", {})
    assert "5 heures et 30 minutes restantes" in page and "alert-danger deadline-banner" in page


def test_no_banner_while_the_deadline_is_far(client, draft):
    with time_machine.travel(CLOSES - timedelta(days=15), tick=False):
        page = _page(client, draft.owner, draft, "applications:dossier", {})
    assert "deadline-banner" not in page


def test_no_banner_once_submitted(client, draft):
    draft.status = DossierStatus.SUBMITTED
    draft.save()
    with time_machine.travel(CLOSES - timedelta(days=1), tick=False):
        page = _page(client, draft.owner, draft, "applications:dossier", {})
    assert "deadline-banner" not in page


def test_no_banner_after_the_deadline(client, draft):
    with time_machine.travel(CLOSES + timedelta(seconds=1), tick=False):
        page = _page(client, draft.owner, draft, "applications:dossier", {})
    assert "deadline-banner" not in page


def test_a_co_editor_sees_the_banner_too(client, draft):
    colleague = UserFactory()
    DossierMember.objects.create(dossier=draft, user=colleague)
    with time_machine.travel(CLOSES - timedelta(days=1), tick=False):
        page = _page(client, colleague, draft, "applications:dossier", {})
    assert "deadline-banner" in page


def test_staff_reading_a_draft_see_no_banner(client, draft):
    coordinator = UserFactory(is_staff=True, is_superuser=True)
    with time_machine.travel(CLOSES - timedelta(days=1), tick=False):
        page = _page(client, coordinator, draft, "applications:dossier", {})
    assert draft.reference in page
    assert "deadline-banner" not in page
