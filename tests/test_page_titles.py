"""Every page of the site has a plain-text ``<title>``: no markup leaks into it from an unclosed template block.

The pages are those of the access matrix (every site URL name, as every role), plus the draft dossier's sections,
in the access matrix's little world (which has published results, so the home page lists them).
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from applications.domain.sections import SECTIONS
from tests.security.access_matrix import SITE, kwargs_for
from tests.security.access_world import ROLES, build_world

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def _html_pages(world):
    """(where, html) for every site page that answers with an HTML document, as every role."""
    for role in ROLES:
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        urls = [reverse(name, kwargs=kwargs_for(world, name)) for name in SITE]
        if role == "official_b":  # dossier B is a draft: its sections are editable pages
            urls += [
                reverse("applications:section", kwargs={"pk": world.dossier_b.pk, "key": spec.key}) for spec in SECTIONS
            ]
        for url in urls:
            response = client.get(url)
            if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
                html = response.content.decode()
                if "<html" in html:  # whole documents, not redirects or htmx fragments
                    yield f"{role} {url} ({response.status_code})", html


def test_every_page_title_is_plain_text():
    world = build_world()
    checked, wrong = 0, []
    for where, html in _html_pages(world):
        titles = TITLE.findall(html)
        checked += 1
        if len(titles) != 1 or "<" in titles[0] or not titles[0].strip():
            wrong.append(f"{where}: {titles!r}"[:300])
    assert checked > 50, f"only {checked} HTML pages checked"
    assert not wrong, "Pages whose <title> is not one plain-text title:\n  " + "\n  ".join(wrong)


def test_home_page_title_is_the_page_name_while_results_are_published(client):
    world = build_world()
    html = client.get(reverse("home")).content.decode()
    assert world.past_campaign.name in html  # the published results are listed in the page...
    (title,) = TITLE.findall(html)
    assert world.past_campaign.name not in title  # ...and not in its title
    assert title.strip() in {"Accueil — Cnam", "Home — Cnam"}
