"""Error pages a French official may meet are in French (Django's built-in ones are bare English pages)."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_unknown_address_shows_a_french_page_inside_the_portal_layout(client):
    response = client.get("/cette-page-n-existe-pas/", HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in page and "Revenir à l’accueil" in page and "Portail AMI" in page


def test_server_error_page_is_french():
    with translation.override("fr"):
        response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and "Erreur du serveur" in page and 'lang="fr"' in page
