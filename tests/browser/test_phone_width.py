"""No page of the public, press or official side scrolls sideways on a 375 px phone."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.states import DossierStatus
from tests.factories import CampaignFactory, CommuneFactory, DossierFactory, UserFactory, WaveFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def world():
    now = timezone.now()
    past = CampaignFactory(slug="ami-telephone", name="AMI Au cœur des territoires — édition téléphone")
    published = WaveFactory(
        campaign=past,
        number=1,
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=60),
        publishes_at=now - timedelta(days=1),
    )
    embargoed = WaveFactory(
        campaign=past,
        number=2,
        opens_at=now - timedelta(days=50),
        closes_at=now - timedelta(days=20),
        publishes_at=now + timedelta(days=5),
    )
    for wave, name, code in ((published, "Montbard-sur-Brenne-la-Longue", "21425"), (embargoed, "Vierzon", "18279")):
        DossierFactory(
            wave=wave,
            campaign=past,
            commune=CommuneFactory(name=name, insee_code=code),
            status=DossierStatus.LAUREATE,
            decided_at=now - timedelta(days=2),
            title="Campus connecté des métiers de l'industrie et de la transition écologique",
        )
    current = CampaignFactory(slug="ami-ouvert-telephone")
    WaveFactory(campaign=current, number=1)
    draft = DossierFactory(campaign=current, wave=current.waves.get())
    press = UserFactory(email="presse@cnam.example")
    press.groups.add(Group.objects.get_or_create(name=Role.PRESS)[0])
    return {"draft": draft, "press": press}


def _as(open_browser, live_server, user):
    context = open_browser()
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    tab = context.new_page()
    tab.set_viewport_size(PHONE)
    return tab


def _sideways(tab, url) -> int:
    tab.goto(url)
    return tab.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_no_page_scrolls_sideways_at_375_px(open_browser, live_server, world):
    draft = world["draft"]
    pages = {
        None: [
            reverse("home"),
            reverse("results-index"),
            reverse("results-campaign", kwargs={"slug": "ami-telephone"}),
            reverse("results-laureate", kwargs={"slug": "ami-telephone", "code": "21425"}),
            reverse("opendata"),
            reverse("applications:campaign", kwargs={"slug": "ami-ouvert-telephone"}) + "?q=Vierzon",
            reverse("accounts:login"),
            reverse("accounts:signup"),
        ],
        "press": [reverse("press-home"), reverse("press-wave", kwargs={"slug": "ami-telephone", "number": 2})],
        "official": [
            reverse("applications:home"),
            reverse("applications:dossier", kwargs={"pk": draft.pk}),
            reverse("applications:section", kwargs={"pk": draft.pk, "key": "budget"}),
            reverse("applications:team", kwargs={"pk": draft.pk}),
            reverse("applications:attachments", kwargs={"pk": draft.pk}),
            reverse("applications:submit", kwargs={"pk": draft.pk}),
        ],
    }
    users = {None: None, "press": world["press"], "official": draft.owner}
    too_wide = {}
    for role, urls in pages.items():
        tab = _as(open_browser, live_server, users[role])
        for url in urls:
            overflow = _sideways(tab, url)
            if overflow > 0:
                too_wide[url] = overflow
    assert too_wide == {}, f"pages wider than a 375 px phone (extra px): {too_wide}"
