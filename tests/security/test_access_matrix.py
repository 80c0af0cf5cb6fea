"""The access matrix: every URL pattern of the site and the admin, GET as each role, against the expected outcome.

Expected outcomes are written per URL name in ``access_matrix.SITE`` (site URLs) and per admin model in
``access_matrix.ADMIN_MODELS`` (the admin's changelist/add/change/delete/history views follow Django's rules from the
permissions each role holds). A URL name with no entry makes the test fail, naming it: new views must declare who may
see them.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .access_matrix import ADMIN_MODELS, ADMIN_SITE, SITE, admin_expectation, kwargs_for, outcome
from .access_world import ROLES, build_world

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
    base, _, action = name[len("admin:"):].rpartition("_")
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
