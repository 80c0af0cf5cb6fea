"""The site's templates hold nothing the Content-Security-Policy refuses (``style-src 'self'``, ``script-src 'self'``):
no inline style (element or attribute), no inline script, no event-handler attribute. E-mail templates are not
served under the CSP and are left out. htmx is told not to inject its own inline style."""

import re
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory

ROOT = Path(settings.BASE_DIR)
REFUSED = {
    "inline style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE),
}


def _site_templates() -> list[Path]:
    found = [
        path for path in ROOT.glob("**/templates/**/*.html") if ".venv" not in path.parts and "emails" not in path.parts
    ]
    assert len(found) > 20, found
    return found


def test_no_site_template_holds_what_the_csp_refuses():
    offending = [
        f"{path.relative_to(ROOT)}: {kind}"
        for path in _site_templates()
        for kind, pattern in REFUSED.items()
        if pattern.search(path.read_text())
    ]
    assert not offending, "Templates the CSP would partly block:\n  " + "\n  ".join(offending)


def test_htmx_is_configured_not_to_inject_its_indicator_style(db):
    html = render_to_string("base.html", request=RequestFactory().get("/"))
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in html
    css = (ROOT / "static" / "css" / "portal.css").read_text()
    assert ".htmx-request .htmx-indicator" in css  # the indicator still works, styled by our own file
