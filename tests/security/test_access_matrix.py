"""The access matrix: every URL pattern of the site and the admin, GET as each role, against the expected outcome.

Expected outcomes are written per URL name in ``access_matrix.SITE`` (site URLs) and per admin model in
``access_matrix.ADMIN_MODELS`` (the admin's changelist/add/change/delete/history views follow Django's rules from the
permissions each role holds). A URL name with no entry makes the test fail, naming it: new views must declare who may
see them.
"""

import html
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .access_matrix import (
    ADMIN_MODELS,
    ADMIN_SITE,
    API_LAUREATE_SURFACES,
    API_WITH_TOKENS,
    DECISION_SURFACES,
    DECISION_TEXT,
    KNOW_DECISIONS_EARLY,
    SITE,
    admin_expectation,
    api_decision_expected,
    decision_expected,
    kwargs_for,
    outcome,
)
from .access_world import (
    API_LAUREATE_NAME,
    DECISION_JUSTIFICATION,
    DECISION_ROLES,
    ROLES,
    build_world,
    decide_dossier_a,
    decide_laureate_in_open_wave,
    mint_api_tokens,
)

pytestmark = pytest.mark.django_db


def walk(patterns=None, namespace="") -> list[tuple[str, object]]:
    """Every (full URL name, pattern) reachable from the root URLconf, namespaces included."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(walk(entry.url_patterns, inner))
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>", entry))
    return found


def admin_model_of(name: str) -> tuple[str, str] | None:
    """``admin:applications_dossier_change`` → ("applications_dossier", "change")."""
    if not name.startswith("admin:"):
        return None
    base, _, action = name[len("admin:") :].rpartition("_")
    if base in ADMIN_MODELS and action in {"changelist", "add", "change", "delete", "history"}:
        return base, action
    return None


def all_names() -> list[str]:
    return sorted({name for name, _ in walk()})


def is_covered(name: str) -> bool:
    # The admin's unnamed patterns (``<object_id>/`` and the catch-all) only redirect to its named views.
    unnamed_admin = name.startswith("admin:<unnamed")
    return name in SITE or name in ADMIN_SITE or admin_model_of(name) is not None or unnamed_admin


def test_every_url_name_has_an_entry_in_the_matrix():
    missing = [name for name in all_names() if not is_covered(name)]
    assert not missing, (
        "URL names without an access-matrix entry (add them to tests/security/access_matrix.py, "
        "SITE or ADMIN_MODELS):\n  " + "\n  ".join(missing)
    )


def test_matrix_has_no_stale_entry():
    names = set(all_names())
    stale = sorted(set(SITE) - names) + sorted(set(ADMIN_SITE) - names)
    stale += sorted(
        f"admin model {label}" for label in ADMIN_MODELS if not any(n.startswith(f"admin:{label}_") for n in names)
    )
    assert not stale, "Matrix entries for URLs that no longer exist:\n  " + "\n  ".join(stale)


@pytest.fixture
def world(db):
    return build_world()


def _client(world, role) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


# Anonymous visitors of protected pages are sent to accounts:login.
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_outcome_on_every_url(world, role):
    client = _client(world, role)
    wrong = []
    for name in all_names():
        if not is_covered(name) or name.startswith("admin:<unnamed"):
            continue
        parsed = admin_model_of(name)
        if parsed:
            expected = admin_expectation(world, role, *parsed)
        elif name in ADMIN_SITE:
            expected = ADMIN_SITE[name].expected(role)
        else:
            expected = SITE[name].expected(role)
        url = reverse(name, kwargs=kwargs_for(world, name))
        got = outcome(client.get(url))
        if got != expected:
            wrong.append(f"{name} {url}: expected {expected}, got {got}")
    assert not wrong, f"Access matrix mismatches for {role}:\n  " + "\n  ".join(wrong)


# --- "decision visible": who reads dossier A's decision, surface by surface, around its wave's publication --------


@pytest.mark.parametrize("after_publication", [False, True], ids=["1s-before-publication", "1s-after-publication"])
@pytest.mark.parametrize("role", DECISION_ROLES)
def test_each_role_reads_the_decision_only_where_and_when_expected(world, role, after_publication):
    decide_dossier_a(world)
    publication = world.wave.publishes_at
    when = publication + timedelta(seconds=1) if after_publication else publication - timedelta(seconds=1)
    wrong = []
    with time_machine.travel(when, tick=False):
        client = _client(world, role) if role != "anonymous" else Client()
        for name, surface in DECISION_SURFACES.items():
            response = client.get(surface.url(world))
            text = html.unescape(response.content.decode())
            reads = DECISION_TEXT in surface.part(text, world)
            expected = decision_expected(role, name, after_publication=after_publication)
            if reads != expected:
                wrong.append(
                    f"{name}: expected {'to read' if expected else 'not to read'} the decision "
                    f"(HTTP {response.status_code})"
                )
            if DECISION_JUSTIFICATION in text and not (role in KNOW_DECISIONS_EARLY or after_publication):
                wrong.append(f"{name}: shows the committee's justification before publication")
    assert not wrong, f"Decision visibility mismatches for {role}:\n  " + "\n  ".join(wrong)


# --- the read API with each role's token, around the publication of dossier A's wave -------------------------------


def test_every_api_endpoint_has_an_entry_for_calls_with_a_token():
    api_names = {name for name in all_names() if name.startswith("api-v1:")}
    missing = sorted(api_names - set(API_WITH_TOKENS))
    stale = sorted(set(API_WITH_TOKENS) - api_names)
    assert not missing, "API endpoints without an entry in access_matrix.API_WITH_TOKENS:\n  " + "\n  ".join(missing)
    assert not stale, "Stale entries in access_matrix.API_WITH_TOKENS:\n  " + "\n  ".join(stale)


def _token_client(world, role) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}") if role != "anonymous" else Client()


@pytest.mark.parametrize("after_publication", [False, True], ids=["1s-before-publication", "1s-after-publication"])
@pytest.mark.parametrize("role", DECISION_ROLES)
def test_each_role_gets_the_expected_api_outcome_with_its_token(world, role, after_publication):
    decide_dossier_a(world)
    decide_laureate_in_open_wave(world)
    mint_api_tokens(world)
    publication = world.wave.publishes_at
    when = publication + timedelta(seconds=1) if after_publication else publication - timedelta(seconds=1)
    wrong = []
    with time_machine.travel(when, tick=False):
        client = _token_client(world, role)
        for name, expected_rule in API_WITH_TOKENS.items():
            response = client.get(reverse(name, kwargs=expected_rule.kwargs(world) if expected_rule.kwargs else {}))
            text = response.content.decode()
            if response.status_code != expected_rule.expected(role):
                wrong.append(f"{name}: expected {expected_rule.expected(role)}, got {response.status_code}")
            reads = '"status": "not_retained"' in text
            if reads != api_decision_expected(role, name, after_publication=after_publication):
                wrong.append(f"{name}: {'reads' if reads else 'does not read'} dossier A's decision")
            if DECISION_JUSTIFICATION in text:
                wrong.append(f"{name}: shows the committee's justification")
            if name in API_LAUREATE_SURFACES and (API_LAUREATE_NAME in text) != after_publication:
                wrong.append(f"{name}: laureate L {'shown' if API_LAUREATE_NAME in text else 'missing'}")
    assert not wrong, f"API mismatches for {role}:\n  " + "\n  ".join(wrong)
