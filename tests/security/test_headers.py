"""Security headers on every kind of response (test profile; HSTS and cookies are in test_deploy.py)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


# One page per app and per kind of response (HTML page, admin, results, press, error).
PAGES = [
    "home",
    "admin:login",
    "results-index",
    "opendata",
    "accounts:login",
    "accounts:signup",
]


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture(params=PAGES)
def response(request, client):
    return client.get(reverse(request.param))


def test_content_security_policy_allows_no_inline_or_foreign_script(response):
    csp = _directives(response.headers["Content-Security-Policy"])
    script_src = csp.get("script-src", csp.get("default-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert all(source in {"'self'"} or source.startswith("'nonce-") for source in script_src), script_src


def test_content_security_policy_forbids_framing_and_plugins(response):
    csp = _directives(response.headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]


def test_pages_cannot_be_framed(response):
    assert response.headers["X-Frame-Options"] == "DENY"


def test_content_type_is_not_sniffed(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_referrer_stays_on_the_site(response):
    assert response.headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}


def test_not_found_page_also_carries_the_security_headers(client):
    response = client.get("/this-page-does-not-exist/")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
