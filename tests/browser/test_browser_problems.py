"""Every browser journey fails on a console error, an uncaught exception or a Content-Security-Policy violation
(``open_browser`` watches each page, see conftest.py). These tests show the watch sees each kind, and that the
site's pages, htmx included, cause none."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROBE = """<!DOCTYPE html><html lang="fr"><head><title>Sonde</title><style>body { color: red; }</style></head>
<body><p>Sonde</p></body></html>"""


def _wait_for(page, problems, count: int) -> None:
    for _ in range(100):
        if len(problems.found) >= count:
            return
        page.wait_for_timeout(50)


def test_the_watch_records_csp_violations_console_errors_and_uncaught_exceptions(page, browser_problems, live_server):
    page.route(
        "**/sonde-csp/",
        lambda route: route.fulfill(
            status=200,
            body=PROBE,
            content_type="text/html",
            headers={"Content-Security-Policy": "style-src 'self'"},
        ),
    )
    page.goto("/sonde-csp/")
    page.evaluate("console.error('sonde : erreur de console')")
    page.evaluate("setTimeout(() => { throw new Error('sonde : exception'); })")
    _wait_for(page, browser_problems, 4)
    csp = browser_problems.take(lambda problem: problem.startswith("CSP violation") and "style-src" in problem)
    console = browser_problems.take(lambda problem: "sonde : erreur de console" in problem)
    uncaught = browser_problems.take(lambda problem: problem.startswith("uncaught exception") and "sonde" in problem)
    # Chromium also writes the CSP refusal on the console, as an error.
    refusal = browser_problems.take(lambda problem: problem.startswith("console error") and "style" in problem)
    assert (len(csp), len(console), len(uncaught), len(refusal)) == (1, 1, 1, 1), browser_problems.report()
    assert not browser_problems.found


def test_htmx_pages_inject_no_inline_style(page, browser_problems):
    page.goto(reverse("home"))
    assert page.evaluate("window.htmx.config.includeIndicatorStyles") is False
    assert page.locator("style").count() == 0
    # The indicator is still hidden until a request runs: the rule now comes from portal.css.
    opacity = page.evaluate("""() => {
        const indicator = document.body.appendChild(Object.assign(document.createElement("span"),
                                                                  {className: "htmx-indicator"}));
        return getComputedStyle(indicator).opacity;
    }""")
    assert opacity == "0"
    page.wait_for_timeout(200)
    assert not browser_problems.found, browser_problems.report()
