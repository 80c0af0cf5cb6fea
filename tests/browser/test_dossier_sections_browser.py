"""The section form in a real browser: htmx autosave of a long text field, and the plain POST without JavaScript."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.helpers import assert_accessible
from tests.factories import DossierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _log_in(context, user, live_server):
    """Reuse a server-side session (the log-in page belongs to the accounts app and is tested there)."""
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


def _section(dossier, key):
    return reverse("applications:section", kwargs={"pk": dossier.pk, "key": key})


def test_long_text_is_autosaved_while_typing(open_browser, live_server):
    dossier = DossierFactory()
    context = open_browser()
    _log_in(context, dossier.owner, live_server)
    tab = context.new_page()
    tab.goto(_section(dossier, "territory"))
    assert_accessible(tab, "dossier section")
    tab.locator("#id_employment_basin").press_sequentially("Bassin de Montbéliard")
    status = tab.locator("#autosave-employment_basin")
    status.get_by_text("Enregistré à").wait_for(timeout=10_000)
    dossier.refresh_from_db()
    assert dossier.employment_basin == "Bassin de Montbéliard"


def test_section_saves_without_javascript(open_browser, live_server):
    dossier = DossierFactory()
    context = open_browser(javascript=False)
    _log_in(context, dossier.owner, live_server)
    tab = context.new_page()
    tab.goto(_section(dossier, "summary"))
    tab.locator("#id_title").fill("Titre sans JavaScript")
    tab.get_by_role("button", name="Enregistrer", exact=True).click()
    tab.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.title == "Titre sans JavaScript"


def test_dossier_pages_have_no_serious_accessibility_violation(open_browser, live_server):
    from tests.applications.dossier_support import fill_sections
    from tests.factories import WaveFactory

    dossier = fill_sections(DossierFactory(wave=WaveFactory()))
    context = open_browser()
    _log_in(context, dossier.owner, live_server)
    tab = context.new_page()
    for name, kwargs in [("home", {}), ("dossier", {"pk": dossier.pk}), ("team", {"pk": dossier.pk})]:
        tab.goto(reverse(f"applications:{name}", kwargs=kwargs))
        tab.screenshot(path=str(settings.ARTIFACTS_DIR / f"dossier-{name}.png"), full_page=True)
        assert_accessible(tab, name)
    tab.goto(_section(dossier, "partners"))
    assert_accessible(tab, "partners section")


def test_attachments_page_does_not_scroll_sideways_on_a_phone(open_browser, live_server, tmp_path):
    from tests.browser.dossier_steps import upload_required_attachments

    dossier = DossierFactory()
    context = open_browser()
    _log_in(context, dossier.owner, live_server)
    tab = context.new_page()
    upload_required_attachments(tab, dossier, tmp_path)
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.reload()
    widths = tab.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]


@pytest.mark.parametrize("typed", ["80000,50", "80 000,50", "80000.50"])
def test_amount_typed_the_french_way_in_a_french_browser_is_saved_exactly(open_browser, live_server, typed):
    from decimal import Decimal

    dossier = DossierFactory()
    context = open_browser()
    _log_in(context, dossier.owner, live_server)
    tab = context.new_page()
    tab.goto(_section(dossier, "budget"))
    tab.locator("#id_budget_total").press_sequentially(typed)
    tab.get_by_role("button", name="Enregistrer", exact=True).click()
    tab.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.budget_total == Decimal("80000.50")
    shown = tab.locator("#id_budget_total").input_value()
    assert shown.replace("\u202f", " ").replace("\u00a0", " ") == "80 000,50"
    assert "En euros, par exemple 80 000,50." in tab.locator("#section-form").inner_text()


def _leave_through_the_section_list(tab):
    tab.get_by_role("navigation", name="Rubriques du dossier").get_by_role(
        "link", name="Budget et cofinancements"
    ).click()


def test_leaving_a_section_with_unsaved_short_fields_offers_to_save_them(open_browser, live_server):
    dossier = DossierFactory()
    context = open_browser()
    _log_in(context, dossier.owner, live_server)
    tab = context.new_page()
    tab.goto(_section(dossier, "lead"))
    tab.locator("#id_lead_name").fill("Claire Martin")
    _leave_through_the_section_list(tab)
    dialog = tab.locator("#unsaved-dialog")
    dialog.wait_for()
    assert_accessible(tab, "unsaved-changes dialog")
    dialog.get_by_role("button", name="Enregistrer et continuer").click()
    tab.wait_for_url(f"**{_section(dossier, 'budget')}")
    dossier.refresh_from_db()
    assert dossier.lead_name == "Claire Martin"


def test_leaving_without_saving_drops_the_change_only_when_asked(open_browser, live_server):
    dossier = DossierFactory(lead_name="Ancien nom")
    context = open_browser()
    _log_in(context, dossier.owner, live_server)
    tab = context.new_page()
    tab.goto(_section(dossier, "lead"))
    tab.locator("#id_lead_name").fill("Nom abandonné")
    _leave_through_the_section_list(tab)
    tab.locator("#unsaved-dialog").get_by_role("button", name="Rester sur cette page").click()
    assert tab.locator("#id_lead_name").input_value() == "Nom abandonné"
    _leave_through_the_section_list(tab)
    tab.locator("#unsaved-dialog").get_by_role("button", name="Quitter sans enregistrer").click()
    tab.wait_for_url(f"**{_section(dossier, 'budget')}")
    dossier.refresh_from_db()
    assert dossier.lead_name == "Ancien nom"


def test_leaving_after_saving_asks_nothing(open_browser, live_server):
    dossier = DossierFactory()
    context = open_browser()
    _log_in(context, dossier.owner, live_server)
    tab = context.new_page()
    tab.goto(_section(dossier, "lead"))
    tab.locator("#id_lead_name").fill("Claire Martin")
    tab.get_by_role("button", name="Enregistrer", exact=True).click()
    tab.wait_for_load_state()
    _leave_through_the_section_list(tab)
    tab.wait_for_url(f"**{_section(dossier, 'budget')}")
    assert not tab.locator("#unsaved-dialog").is_visible()


def test_failed_autosave_says_not_saved_keeps_the_text_and_retries_until_saved(
    open_browser, live_server, browser_problems
):
    dossier = DossierFactory()
    context = open_browser()
    _log_in(context, dossier.owner, live_server)
    tab = context.new_page()
    failures = ["503", "network"]  # the database is unavailable, then the network drops, then all is well
    attempts = []

    def autosave_route(route):
        attempts.append(route.request.url)
        failure = failures.pop(0) if failures else None
        if failure == "503":
            route.fulfill(status=503, body="Service momentanément indisponible", headers={"Retry-After": "30"})
        elif failure == "network":
            route.abort("connectionfailed")
        else:
            route.continue_()

    tab.route("**/autosave/**", autosave_route)
    tab.goto(_section(dossier, "territory"))
    field = tab.locator("#id_employment_basin")
    status = tab.locator("#autosave-employment_basin")
    field.press_sequentially("Bassin de Montbéliard")

    status.get_by_text("Non enregistré — nouvelle tentative…").wait_for(timeout=10_000)
    assert field.input_value() == "Bassin de Montbéliard"
    dossier.refresh_from_db()
    assert dossier.employment_basin == ""

    status.get_by_text("Enregistré à").wait_for(timeout=20_000)  # retried after 2 s, then 4 s
    assert len(attempts) == 3
    assert field.input_value() == "Bassin de Montbéliard"
    dossier.refresh_from_db()
    assert dossier.employment_basin == "Bassin de Montbéliard"
    # The failures were provoked on purpose: take back the console lines Chromium wrote for them.
    autosave = reverse(
        "applications:autosave", kwargs={"pk": dossier.pk, "key": "territory", "field": "employment_basin"}
    )
    browser_problems.expect_http_error(tab, status=503, path=autosave)
    assert browser_problems.take(lambda problem: "ERR_CONNECTION_FAILED" in problem)
    # htmx reports the failed requests on the console too.
    provoked_by_htmx = ("Response Status Error Code 503", "htmx:afterRequest", "htmx:sendError", "htmx:responseError")
    assert browser_problems.take(
        lambda problem: "htmx.min.js" in problem and any(p in problem for p in provoked_by_htmx)
    )


def test_refused_autosave_shows_the_reason_and_is_not_retried(open_browser, live_server, browser_problems):
    dossier = DossierFactory()
    context = open_browser()
    _log_in(context, dossier.owner, live_server)
    tab = context.new_page()
    attempts = []

    def refuse(route):  # what the endpoint answers to a value it refuses (400 with the reason)
        attempts.append(route.request.url)
        route.fulfill(
            status=400,
            content_type="text/html",
            body='<span class="text-danger">Non enregistré : valeur refusée.</span>',
        )

    tab.route("**/autosave/**", refuse)
    tab.goto(_section(dossier, "territory"))
    tab.locator("#id_employment_basin").press_sequentially("Bassin")

    status = tab.locator("#autosave-employment_basin")
    status.get_by_text("Non enregistré : valeur refusée.").wait_for(timeout=10_000)
    tab.wait_for_timeout(5_000)  # a retry would come after 2 s
    assert len(attempts) == 1
    assert "nouvelle tentative" not in status.inner_text()
    autosave = reverse(
        "applications:autosave", kwargs={"pk": dossier.pk, "key": "territory", "field": "employment_basin"}
    )
    browser_problems.expect_http_error(tab, status=400, path=autosave)
