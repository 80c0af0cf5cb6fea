"""Pages that may hold personal data answer ``Cache-Control: private, no-store``; public pages served to anonymous
visitors and static files keep their own caching (ami_portal.middleware)."""

import pytest
from django.test import Client
from django.urls import reverse

from .access_matrix import kwargs_for
from .access_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def _get(world, role, name):
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client.get(reverse(name, kwargs=kwargs_for(world, name)))


def _directives(response) -> set[str]:
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("official_a", "applications:home"),  # dossier list
        ("official_a", "applications:dossier"),
        ("official_a", "applications:attachments"),
        ("official_a", "applications:attachment_download"),
        ("official_a", "applications:receipt"),
        ("official_a", "applications:receipt_pdf"),
        ("official_a", "accounts:profile"),
        ("official_a", "accounts:password_change"),
        ("anonymous", "accounts:login"),
        ("press", "press-home"),
        ("press", "press-export"),
        ("press", "press-job-download"),
        ("coordinator", "admin:index"),
        ("coordinator", "admin:applications_dossier_changelist"),
        ("coordinator", "admin:applications_dossier_change"),
        ("anonymous", "admin:login"),
    ],
)
def test_page_with_personal_data_is_private_and_never_stored(world, role, name):
    response = _get(world, role, name)

    assert response.status_code == 200, (name, response.status_code)
    assert {"private", "no-store"} <= _directives(response), response.get("Cache-Control")
    assert "public" not in _directives(response)


@pytest.mark.parametrize("name", ["home", "results-index", "opendata"])
def test_public_page_for_an_anonymous_visitor_is_not_marked_private(world, name):
    response = _get(world, "anonymous", name)

    assert response.status_code == 200
    assert not {"private", "no-store"} & _directives(response), response.get("Cache-Control")


def test_public_page_for_a_logged_in_user_is_private(world):
    response = _get(world, "official_a", "home")

    assert {"private", "no-store"} <= _directives(response)


def test_static_file_is_not_marked_private_even_for_a_logged_in_user(world, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()  # a new client loads the middleware with these settings
    client.force_login(world.users["official_a"])

    response = client.get("/static/css/portal.css")

    assert response.status_code == 200
    assert not {"private", "no-store"} & _directives(response), response.get("Cache-Control")
