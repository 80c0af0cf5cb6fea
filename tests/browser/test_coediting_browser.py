"""Two co-editors in two browsers on the same section: nobody's text is lost without them knowing."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from applications.models import DossierMember
from tests.browser.helpers import assert_accessible
from tests.factories import DossierFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _tab_of(open_browser, user, live_server, dossier):
    client = Client()
    client.force_login(user)
    context = open_browser()
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
    tab.goto(reverse("applications:section", kwargs={"pk": dossier.pk, "key": "territory"}))
    return tab


@pytest.fixture
def two_editors(open_browser, live_server):
    dossier = DossierFactory(territory_presentation="Présentation d'origine", employment_basin="Bassin d'origine")
    # Names fixed on both sides: the tests tell who is named by the last name (a random owner was once a Durand).
    dossier.owner.first_name, dossier.owner.last_name = "Maryse", "Lambert"
    dossier.owner.save(update_fields=["first_name", "last_name"])
    colleague = UserFactory(first_name="Paul", last_name="Durand")
    DossierMember.objects.create(dossier=dossier, user=colleague)
    owner_tab = _tab_of(open_browser, dossier.owner, live_server, dossier)
    colleague_tab = _tab_of(open_browser, colleague, live_server, dossier)
    return dossier, owner_tab, colleague_tab


def _save(tab):
    tab.get_by_role("button", name="Enregistrer", exact=True).click()
    tab.wait_for_load_state()


def test_same_field_conflict_shows_both_versions_and_the_second_editor_chooses(two_editors, browser_problems):
    dossier, owner_tab, colleague_tab = two_editors
    owner_tab.locator("#id_employment_basin").fill("Bassin selon l'élue")
    _save(owner_tab)
    colleague_tab.locator("#id_employment_basin").fill("Bassin selon le collègue")
    _save(colleague_tab)
    panel = colleague_tab.locator("#conflicts")
    panel.wait_for()
    # The page answers 409 Conflict on purpose, with both versions.
    section = reverse("applications:section", kwargs={"pk": dossier.pk, "key": "territory"})
    browser_problems.expect_http_error(colleague_tab, status=409, path=section)
    assert "Bassin selon l'élue" in panel.inner_text()
    assert colleague_tab.locator("#id_employment_basin").input_value() == "Bassin selon le collègue"
    assert_accessible(colleague_tab, "section with a conflict")
    dossier.refresh_from_db()
    assert dossier.employment_basin == "Bassin selon l'élue"
    colleague_tab.get_by_label("Garder ma version").check()
    _save(colleague_tab)
    colleague_tab.get_by_text("enregistrée").first.wait_for()
    dossier.refresh_from_db()
    assert dossier.employment_basin == "Bassin selon le collègue"


def test_editors_of_different_fields_both_keep_their_text(two_editors):
    dossier, owner_tab, colleague_tab = two_editors
    owner_tab.locator("#id_territory_presentation").fill("Présentation de l'élue")
    _save(owner_tab)
    colleague_tab.locator("#id_employment_basin").fill("Bassin du collègue")
    _save(colleague_tab)
    assert colleague_tab.locator("#conflicts").count() == 0
    dossier.refresh_from_db()
    assert (dossier.territory_presentation, dossier.employment_basin) == (
        "Présentation de l'élue",
        "Bassin du collègue",
    )


def test_autosave_after_a_colleagues_save_is_refused_and_says_so(two_editors, browser_problems):
    dossier, owner_tab, colleague_tab = two_editors
    owner_tab.locator("#id_employment_basin").fill("Bassin selon l'élue")
    _save(owner_tab)
    colleague_tab.locator("#id_employment_basin").press_sequentially(" — ajout")
    status = colleague_tab.locator("#autosave-employment_basin")
    status.get_by_text("Non enregistré").wait_for(timeout=10_000)
    autosave = reverse(
        "applications:autosave", kwargs={"pk": dossier.pk, "key": "territory", "field": "employment_basin"}
    )
    browser_problems.expect_http_error(colleague_tab, status=409, path=autosave)
    said = status.inner_text()
    assert "Maryse Lambert" in said and "Durand" not in said  # it names the owner, who made the change
    dossier.refresh_from_db()
    assert dossier.employment_basin == "Bassin selon l'élue"
    typed = colleague_tab.locator("#id_employment_basin").input_value()
    assert "— ajout" in typed and "Bassin d'origine" in typed  # the page keeps what was typed
