"""Fixtures of the API tests: the access-matrix world (two régions, every role, dossier A decided « not retained »
and dossier L « laureate » before their wave's publication), each role with a personal token."""

import random
from datetime import timedelta

import pytest
from django.test import Client

from tests.security.access_world import build_world, decide_dossier_a, decide_laureate_in_open_wave, mint_api_tokens

API_ROLES = (
    "anonymous",
    "official_a",
    "official_b",
    "reviewer_x",
    "reviewer_y",
    "coordinator",
    "press",
    "committee",
    "superuser",
)


def fresh_address() -> str:
    """A client address no other test uses: rate-limit counters live in the shared cache (Redis under CI), so a
    test counting requests starts from zero without clearing what other tests, or other workers, count."""
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


@pytest.fixture
def world(db):
    world = build_world()
    decide_dossier_a(world)
    decide_laureate_in_open_wave(world)
    return mint_api_tokens(world)


def before(world):
    return world.wave.publishes_at - timedelta(seconds=1)


def after(world):
    return world.wave.publishes_at + timedelta(seconds=1)


def token_client(world, role) -> Client:
    """A client sending ``role``'s token (no session); anonymous sends none."""
    if role == "anonymous":
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")
