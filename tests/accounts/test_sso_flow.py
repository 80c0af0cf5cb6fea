"""Single sign-on end to end against the real OpenID provider (tests/oidc_provider, started on the loopback): the
portal side through Django's test client, the person at the provider through ``requests``. The browser journeys are
in tests/browser/test_sso_browser.py; these cover the flow's checks one by one."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import SsoRoleMapping, User
from accounts.roles import Role
from tests.factories import RegionFactory, UserFactory, official
from tests.oidc import PASSWORD, enable_sso

pytestmark = [pytest.mark.django_db, pytest.mark.oidc_provider]

PORTAL = "http://testserver"


@pytest.fixture
def provider(oidc_providers, settings):
    running = oidc_providers(PORTAL)
    enable_sso(settings, running)
    return running


@pytest.fixture
def bfc_reviewers():
    bfc = RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    mapping = SsoRoleMapping.objects.create(claim_value="ami-relecteurs-bfc")
    mapping.groups.add(Group.objects.get(name=Role.REGIONAL_REVIEWER))
    mapping.regions.add(bfc)
    return bfc


def authorize_at_provider(authorization_url: str, login: str) -> str:
    """A person logs in at the provider's form; returns the callback URL the provider sends the browser to."""
    browser = requests.Session()
    form_page = browser.get(authorization_url, timeout=10)
    action = re.search(r'<form method="post" action="([^"]+)"', form_page.text).group(1)
    response = browser.post(
        urlsplit(form_page.url)._replace(path=action, query="").geturl(),
        data={"login": login, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    while response.headers["Location"].startswith("http://127.0.0.1") or response.headers["Location"].startswith("/"):
        next_url = response.headers["Location"]
        if next_url.startswith("/"):
            next_url = urlsplit(response.url)._replace(path=next_url, query="").geturl()
        response = browser.get(next_url, allow_redirects=False, timeout=10)
    return response.headers["Location"]


def start_login(client, **query) -> str:
    response = client.get(reverse("accounts:sso_login"), query)
    assert response.status_code == 302
    return response["Location"]


def log_in_through_provider(client, login: str):
    callback = authorize_at_provider(start_login(client), login)
    assert callback.startswith(PORTAL + "/compte/cnam/retour/")
    return client.get(callback)


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_authorization_request_uses_pkce_state_and_nonce(client, provider):
    query = parse_qs(urlsplit(start_login(client)).query)

    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["state"][0] in client.session["oidc_states"]
    assert query["nonce"][0] == client.session["oidc_states"][query["state"][0]]["nonce"]
    assert query["redirect_uri"] == [PORTAL + "/compte/cnam/retour/"]
    assert query["scope"] == ["openid email profile groups"]


def test_a_mapped_reviewer_logs_in_and_lands_in_the_admin_with_her_roles_and_regions(client, provider, bfc_reviewers):
    response = log_in_through_provider(client, "relectrice@cnam.test")

    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    user = User.objects.get(email="relectrice@cnam.test")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert list(user.groups.values_list("name", flat=True)) == [Role.REGIONAL_REVIEWER]
    assert list(user.staff_regions) == [bfc_reviewers]
    assert user.is_staff and (user.first_name, user.last_name) == ("Rose", "Relectrice")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_page_asked_for_before_logging_in_is_where_the_log_in_ends(client, provider, bfc_reviewers):
    wanted = reverse("admin:applications_dossier_changelist")
    callback = authorize_at_provider(start_login(client, next=wanted), "relectrice@cnam.test")

    assert client.get(callback)["Location"] == wanted


@pytest.mark.parametrize("login", ["inconnu@cnam.test", "comptable@cnam.test"], ids=["unknown", "unmapped group"])
def test_a_user_without_mapped_role_gets_the_french_page_and_no_account(client, provider, bfc_reviewers, login):
    response = log_in_through_provider(client, login)

    assert response.status_code == 403
    assert "Aucun rôle sur le portail pour ce compte Cnam" in page_text(response)
    assert "Se connecter avec un autre compte Cnam" in page_text(response)
    assert not User.objects.filter(email=login).exists()
    assert "_auth_user_id" not in client.session


def test_a_user_deactivated_in_the_portal_is_refused(client, provider, bfc_reviewers):
    UserFactory(email="desactive@cnam.test", is_active=False, is_staff=True)

    response = log_in_through_provider(client, "desactive@cnam.test")

    assert response.status_code == 403
    assert "Compte désactivé" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_an_official_cannot_log_in_through_sso(client, provider, bfc_reviewers):
    official(user__email="relectrice@cnam.test")

    response = log_in_through_provider(client, "relectrice@cnam.test")

    assert response.status_code == 403
    assert "adresse e-mail et leur mot de passe" in page_text(response)


def test_an_address_locked_out_by_wrong_passwords_cannot_get_in_through_sso(client, provider, bfc_reviewers, settings):
    UserFactory(email="bloque@cnam.test", is_staff=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "Bloque@cnam.test", "password": "faux"})

    response = log_in_through_provider(client, "bloque@cnam.test")

    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_a_forged_state_is_refused_with_the_french_page(client, provider, bfc_reviewers):
    callback = authorize_at_provider(start_login(client), "relectrice@cnam.test")

    response = client.get(callback.replace("state=", "state=forge"))

    assert response.status_code == 400
    assert "Demande de connexion expirée" in page_text(response)
    assert 'href="/compte/cnam/connexion/"' in page_text(response)
    assert "_auth_user_id" not in client.session


def test_a_callback_without_state_or_code_is_refused_with_the_french_page(client, provider):
    response = client.get(reverse("accounts:sso_callback"))

    assert response.status_code == 400
    assert "Demande de connexion expirée" in page_text(response)


def test_a_callback_url_works_once(client, provider, bfc_reviewers):
    callback = authorize_at_provider(start_login(client), "relectrice@cnam.test")
    assert client.get(callback).status_code == 302
    client.logout()

    response = client.get(callback)

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_code_replayed_with_a_new_state_is_refused_by_the_provider(client, provider, bfc_reviewers):
    first = authorize_at_provider(start_login(client), "relectrice@cnam.test")
    assert client.get(first).status_code == 302
    client.logout()
    # A new log-in's state with the first (already used) code: the provider refuses the exchange.
    new_state = parse_qs(urlsplit(start_login(client)).query)["state"][0]
    code = parse_qs(urlsplit(first).query)["code"][0]

    response = client.get(reverse("accounts:sso_callback"), {"code": code, "state": new_state})

    assert response.status_code == 400
    assert "Connexion non confirmée par le fournisseur" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_a_nonce_mismatch_is_refused(client, provider, bfc_reviewers):
    callback = authorize_at_provider(start_login(client), "relectrice@cnam.test")
    session = client.session
    state = parse_qs(urlsplit(callback).query)["state"][0]
    session["oidc_states"][state]["nonce"] = "a-different-nonce"
    session.save()

    response = client.get(callback)

    assert response.status_code == 400
    assert "Connexion non confirmée par le fournisseur" in page_text(response)
    assert not User.objects.filter(email="relectrice@cnam.test").exists()


def test_an_error_sent_back_by_the_provider_gets_the_french_page(client, provider):
    state = parse_qs(urlsplit(start_login(client)).query)["state"][0]

    response = client.get(reverse("accounts:sso_callback"), {"error": "access_denied", "state": state})

    assert response.status_code == 400
    assert "Connexion interrompue chez le fournisseur" in page_text(response)
    assert state not in client.session["oidc_states"]  # consumed: no replay


def test_an_expired_code_is_refused(client, oidc_providers, settings, bfc_reviewers):
    enable_sso(settings, oidc_providers(PORTAL, code_ttl=2))
    callback = authorize_at_provider(start_login(client), "relectrice@cnam.test")
    time.sleep(3)

    response = client.get(callback)

    assert response.status_code == 400
    assert "Connexion non confirmée par le fournisseur" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_an_unreachable_provider_gets_the_french_page(client, settings):
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "http://127.0.0.1:9", "c", "s"
    from accounts.sso.config import forget_endpoints

    forget_endpoints()
    response = client.get(reverse("accounts:sso_login"))

    assert response.status_code == 502
    assert "Service de connexion Cnam indisponible" in page_text(response)


def test_logging_out_ends_the_session_at_the_provider(client, provider, bfc_reviewers):
    log_in_through_provider(client, "relectrice@cnam.test")
    id_token = client.session["oidc_id_token"]

    response = client.post(reverse("accounts:logout"))

    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == provider.issuer + "/session/end"
    assert parse_qs(location.query) == {
        "id_token_hint": [id_token],
        "post_logout_redirect_uri": [PORTAL + "/"],
        "client_id": ["ami-portal"],
    }
    assert "_auth_user_id" not in client.session


def test_logging_out_of_the_admin_ends_the_session_at_the_provider_too(client, provider, bfc_reviewers):
    log_in_through_provider(client, "relectrice@cnam.test")

    response = client.post(reverse("admin:logout"))

    assert response["Location"].startswith(provider.issuer + "/session/end?id_token_hint=")
    assert "_auth_user_id" not in client.session


def test_a_password_session_logs_out_locally(client, provider):
    user = UserFactory(is_staff=True)
    client.force_login(user)

    assert client.post(reverse("accounts:logout"))["Location"] == reverse("home")


def test_an_account_bound_to_sso_cannot_use_the_password_form_while_sso_is_on(client, provider, bfc_reviewers):
    UserFactory(email="relectrice@cnam.test", is_staff=True)  # created in the admin, with a password
    log_in_through_provider(client, "relectrice@cnam.test")
    client.logout()

    for path in (reverse("accounts:login"), reverse("admin:login")):
        response = client.post(path, {"username": "relectrice@cnam.test", "password": "motdepasse-solide-42"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    assert "Ce compte se connecte avec le compte Cnam" in page_text(
        client.post(reverse("accounts:login"), {"username": "relectrice@cnam.test", "password": "motdepasse-solide-42"})
    )


def test_the_log_in_pages_offer_the_cnam_account_only_when_sso_is_on(client, provider):
    assert "Se connecter avec le compte Cnam" in page_text(client.get(reverse("accounts:login")))
    assert "Se connecter avec le compte Cnam" in page_text(client.get(reverse("admin:login")))


def test_the_provider_is_allowed_as_a_form_target_for_the_log_out_redirect(client, provider):
    policy = client.get(reverse("home"))["Content-Security-Policy"]

    assert f"form-action 'self' {provider.issuer}" in policy


def test_an_authorization_response_naming_another_issuer_is_refused(client, provider, bfc_reviewers):
    callback = authorize_at_provider(start_login(client), "relectrice@cnam.test")
    query = parse_qs(urlsplit(callback).query)
    assert query["iss"] == [provider.issuer]  # the provider names itself (RFC 9207)

    response = client.get(
        reverse("accounts:sso_callback"),
        {"code": query["code"][0], "state": query["state"][0], "iss": "https://ailleurs.example"},
    )

    assert response.status_code == 400
    assert "Connexion non confirmée par le fournisseur" in page_text(response)
    assert not User.objects.filter(email="relectrice@cnam.test").exists()


def test_someone_already_logged_in_is_sent_to_their_landing_page_not_to_the_provider(client, provider):
    client.force_login(official())

    response = client.get(reverse("accounts:sso_login"))

    assert response["Location"] == reverse("applications:home")


def test_a_discovery_document_naming_another_issuer_is_not_trusted(client, provider, settings):
    from accounts.sso.config import forget_endpoints

    # The same provider reached under another name: its document names http://127.0.0.1:…, not this issuer.
    settings.OIDC_ISSUER = provider.issuer.replace("127.0.0.1", "localhost")
    forget_endpoints()

    response = client.get(reverse("accounts:sso_login"))

    assert response.status_code == 502
    assert "Service de connexion Cnam indisponible" in page_text(response)
