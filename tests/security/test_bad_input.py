"""Bad input (over-long addresses, NUL bytes, garbage tokens) gets a clear French error, never an HTTP 500.

On PostgreSQL a NUL byte in a query or an address longer than its column made the database raise; run these on
PostgreSQL too (DATABASE_URL) — on SQLite they check the pages, not that failure.
"""

import pytest
from django.urls import reverse

from applications.models import DossierInvitation
from notifications.models import OutboxMessage
from tests.factories import DossierFactory, UserFactory

pytestmark = pytest.mark.django_db

# 255 to 320 characters: EmailField's own limit lets them through, the 254-character columns do not.
TOO_LONG_ADDRESSES = [
    "a" * 300 + "@ville.fr",
    "x" * 60 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 63]) + ".fr",
]
NUL_ADDRESS = "maire\x00@ville.fr"
BAD_TOKENS = ["abc%00def", "%00", "a" * 500, "abc%20def", "ab%2Fcd"]


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def owner_client(client):
    dossier = DossierFactory()
    client.force_login(dossier.owner)
    client.dossier = dossier
    return client


# --- invitations ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", TOO_LONG_ADDRESSES)
def test_inviting_an_over_long_address_is_a_form_error(owner_client, address):
    response = owner_client.post(
        reverse("applications:team", kwargs={"pk": owner_client.dossier.pk}), {"email": address}
    )
    assert response.status_code == 400
    assert "Assurez-vous que cette valeur comporte au plus 254 caractères" in page(response)
    assert not DossierInvitation.objects.exists() and not OutboxMessage.objects.exists()


def test_inviting_an_address_with_a_nul_byte_is_a_form_error(owner_client):
    response = owner_client.post(
        reverse("applications:team", kwargs={"pk": owner_client.dossier.pk}), {"email": NUL_ADDRESS}
    )
    assert response.status_code == 400
    assert "Saisissez une adresse de courriel valide." in page(response)
    assert not DossierInvitation.objects.exists()


@pytest.mark.parametrize("token", BAD_TOKENS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_invitation_link_with_a_malformed_token_is_the_french_not_found_page(owner_client, token, method):
    response = getattr(owner_client, method)(f"/dossiers/invitations/{token}/")
    assert response.status_code == 404
    assert "Page introuvable" in page(response)


def test_invitation_link_with_a_nul_byte_is_not_found_for_an_anonymous_visitor_too(client):
    response = client.get("/dossiers/invitations/abc%00def/")
    assert response.status_code == 404
    assert "Page introuvable" in page(response)


def test_a_real_invitation_link_still_works(owner_client):
    owner_client.post(
        reverse("applications:team", kwargs={"pk": owner_client.dossier.pk}), {"email": "collegue@ville.fr"}
    )
    invitation = DossierInvitation.objects.get()
    owner_client.logout()
    response = owner_client.get(reverse("applications:invitation", kwargs={"token": invitation.token}))
    assert response.status_code == 302 and "email=collegue%40ville.fr" in response.url


# --- accounts: sign-up, log-in, password reset, verification links -----------------------------------------------

ACCOUNT_FORMS = [
    ("accounts:signup", "email"),
    ("accounts:login", "username"),
    ("accounts:password_reset", "email"),
    ("accounts:resend_verification", "email"),
]


@pytest.mark.parametrize(("name", "field"), ACCOUNT_FORMS)
@pytest.mark.parametrize("address", [*TOO_LONG_ADDRESSES, NUL_ADDRESS])
def test_account_forms_answer_bad_addresses_with_a_french_form_error(client, name, field, address):
    response = client.post(
        reverse(name),
        {
            field: address,
            "password": "x",
            "password1": "Un-mot-de-passe-1",
            "password2": "Un-mot-de-passe-1",
            "first_name": "A",
            "last_name": "B",
        },
    )
    assert response.status_code == 200
    assert 'class="invalid-feedback' in page(response) or "alert-danger" in page(response)
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("name", [name for name, _field in ACCOUNT_FORMS])
def test_account_pages_prefilled_with_a_nul_byte_render(client, name):
    response = client.get(reverse(name) + "?email=maire%00%40ville.fr&next=%00")
    assert response.status_code == 200
    assert "<form" in page(response)


@pytest.mark.parametrize(("uid", "token"), [("MQ", "abc%00def"), ("abc%00", "def"), ("MQ", "a" * 500)])
def test_verification_link_with_garbage_is_the_french_invalid_link_page(client, uid, token):
    UserFactory()
    response = client.get(f"/compte/verification/{uid}/{token}/")
    assert response.status_code == 400
    assert "Lien invalide ou expiré" in page(response)


@pytest.mark.parametrize(("uid", "token"), [("MQ", "abc%00def"), ("abc%00", "def"), ("MQ", "a" * 500)])
def test_password_reset_link_with_garbage_says_the_link_is_invalid(client, uid, token):
    UserFactory()
    response = client.get(f"/compte/mot-de-passe/nouveau/{uid}/{token}/")
    assert response.status_code == 200
    assert "Lien invalide ou expiré" in page(response)
