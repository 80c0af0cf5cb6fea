"""Log-in throttling, password reset and change, the profile page: the cases the journeys do not cover."""

from datetime import timedelta

import pytest
import time_machine
from asgiref.sync import async_to_sync
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.backends import EmailBackend
from accounts.models import User
from notifications.models import EmailKind
from tests.factories import CommuneFactory, EpciFactory, OfficialProfileFactory, UserFactory

from .support import PASSWORD, ask_password_reset, link_path, log_in, mails, sign_up

pytestmark = pytest.mark.django_db

FACTORY_PASSWORD = "motdepasse-solide-42"
IP = {"REMOTE_ADDR": "198.51.100.20"}


def _fail(client, email, times):
    for _ in range(times):
        log_in(client, email, "wrong-password", **IP)


def test_after_five_failures_even_the_right_password_is_refused_with_a_french_page(client):
    user = UserFactory(email="maire@ville.example.fr")
    _fail(client, user.email, settings.AXES_FAILURE_LIMIT)
    response = log_in(client, user.email, FACTORY_PASSWORD, **IP)
    assert response.status_code in {403, 429} and "_auth_user_id" not in client.session
    content = response.content.decode()
    assert "Trop de tentatives de connexion échouées" in content and "30 minutes" in content


def test_four_failures_do_not_lock_out(client):
    user = UserFactory(email="maire@ville.example.fr")
    _fail(client, user.email, settings.AXES_FAILURE_LIMIT - 1)
    response = log_in(client, user.email, FACTORY_PASSWORD, **IP)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_changing_the_case_of_the_address_does_not_escape_the_lock_out(client):
    user = UserFactory(email="maire@ville.example.fr")
    for variant in (
        "MAIRE@ville.example.fr",
        "Maire@Ville.example.fr",
        "maire@VILLE.example.fr",
        "maire@ville.EXAMPLE.fr",
        "MAIRE@VILLE.EXAMPLE.FR",
    ):
        log_in(client, variant, "wrong-password", **IP)
    response = log_in(client, user.email, FACTORY_PASSWORD, **IP)
    assert response.status_code in {403, 429}


def test_a_locked_out_sign_up_gets_no_verification_hint_nor_e_mail(client):
    sign_up(client, CommuneFactory())
    email = "claire.dumont@mairie.example.fr"
    _fail(client, email, settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(timezone.now() + timedelta(minutes=15)):
        response = log_in(client, email, PASSWORD, **IP)
    assert response.status_code in {403, 429}
    assert "pas encore confirmée" not in response.content.decode()
    assert len(mails(to=email)) == 1


def test_log_in_accepts_the_address_in_any_case(client):
    user = UserFactory(email="maire@ville.example.fr")
    response = log_in(client, "  Maire@Ville.Example.FR ", FACTORY_PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_a_deactivated_account_cannot_log_in_and_gets_the_generic_error(client):
    user = UserFactory(email="ancien@ville.example.fr", is_active=False, email_verified_at=timezone.now())
    response = log_in(client, user.email, FACTORY_PASSWORD)
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    assert mails(to=user.email) == []


def test_the_log_in_page_sends_a_logged_in_user_on(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302 and response["Location"] == reverse("applications:home")


# --- password reset ------------------------------------------------------------------------------------------------


def _ask_reset(client, email):
    return ask_password_reset(client, email)


def test_the_reset_link_is_single_use(client):
    user = UserFactory(email="maire@ville.example.fr")
    _ask_reset(client, user.email)
    path = link_path(mails(EmailKind.PASSWORD_RESET, user.email)[0].body_text, "/compte/mot-de-passe/nouveau/")
    form_url = client.get(path).url  # Django moves the token into the session
    client.post(form_url, {"new_password1": "Nouveau-Secret-2026", "new_password2": "Nouveau-Secret-2026"})
    response = client.get(path, follow=True)
    assert "Lien invalide ou expiré" in response.content.decode()


def test_the_reset_e_mail_is_french_and_links_to_this_site(client):
    user = UserFactory(email="maire@ville.example.fr")
    _ask_reset(client, user.email)
    [mail] = mails(EmailKind.PASSWORD_RESET, user.email)
    assert mail.subject == "Réinitialisez votre mot de passe"
    assert "http://testserver/compte/mot-de-passe/nouveau/" in mail.body_text


def test_a_reset_by_a_sign_up_awaiting_verification_verifies_the_address(client):
    sign_up(client, CommuneFactory())
    email = "claire.dumont@mairie.example.fr"
    _ask_reset(client, email)
    path = link_path(mails(EmailKind.PASSWORD_RESET, email)[0].body_text, "/compte/mot-de-passe/nouveau/")
    form_url = client.get(path).url
    client.post(form_url, {"new_password1": "Nouveau-Secret-2026", "new_password2": "Nouveau-Secret-2026"})
    user = User.objects.get(email=email)
    assert user.is_active and user.email_verified_at is not None
    assert log_in(client, email, "Nouveau-Secret-2026").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_deactivated_account_gets_no_reset_link(client):
    user = UserFactory(email="ancien@ville.example.fr", is_active=False, email_verified_at=timezone.now())
    response = _ask_reset(client, user.email)
    assert response.url == reverse("accounts:password_reset_done")
    assert mails(EmailKind.PASSWORD_RESET, user.email) == []


def test_repeated_reset_requests_do_not_flood_a_mailbox(client):
    user = UserFactory(email="maire@ville.example.fr")
    for _ in range(5):
        _ask_reset(client, user.email)
    assert len(mails(EmailKind.PASSWORD_RESET, user.email)) == 1


def test_a_new_password_that_fails_the_validators_is_refused_in_french(client):
    user = UserFactory(email="maire@ville.example.fr")
    _ask_reset(client, user.email)
    path = link_path(mails(EmailKind.PASSWORD_RESET, user.email)[0].body_text, "/compte/mot-de-passe/nouveau/")
    form_url = client.get(path).url
    response = client.post(form_url, {"new_password1": "azerty", "new_password2": "azerty"})
    assert "Ce mot de passe est trop court" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(FACTORY_PASSWORD)


# --- password change and profile -----------------------------------------------------------------------------------


def test_password_change_keeps_the_session_and_the_new_password_works(client):
    user = UserFactory(email="maire@ville.example.fr")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": FACTORY_PASSWORD,
            "new_password1": "Nouveau-Secret-2026",
            "new_password2": "Nouveau-Secret-2026",
        },
        follow=True,
    )
    assert "Votre mot de passe a été modifié" in response.content.decode()
    assert "maire@ville.example.fr" in client.get(reverse("accounts:profile")).content.decode()  # still logged in
    user.refresh_from_db()
    assert user.check_password("Nouveau-Secret-2026")


def test_a_staff_member_without_official_profile_edits_only_their_name(client):
    staff = UserFactory(email="instructeur@cnam.example", is_staff=True)
    client.force_login(staff)
    content = client.get(reverse("accounts:profile")).content.decode()
    assert "Prénom" in content and "Fonction dans la collectivité" not in content
    client.post(
        reverse("accounts:profile"),
        {
            "user-first_name": "Paul",
            "user-last_name": "Girard",
            "user-preferred_language": "en",
        },
    )
    staff.refresh_from_db()
    assert (staff.first_name, staff.preferred_language) == ("Paul", "en")


def test_an_official_can_switch_to_acting_for_an_epci(client):
    profile = OfficialProfileFactory(user=UserFactory(email="dgs@ville.example.fr"))
    epci = EpciFactory(siren="200070464")
    client.force_login(profile.user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "user-first_name": "Julien",
            "user-last_name": "Lefèvre",
            "user-preferred_language": "fr",
            "official-role": "dgs",
            "official-phone": "03 22 25 40 40",
            "official-commune": "",
            "official-epci": epci.siren,
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.commune, profile.epci, profile.role) == (None, epci, "dgs")


def test_the_profile_refuses_to_drop_every_territory_in_french(client):
    profile = OfficialProfileFactory(user=UserFactory(email="dgs@ville.example.fr"))
    client.force_login(profile.user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "user-first_name": "Julien",
            "user-last_name": "Lefèvre",
            "user-preferred_language": "fr",
            "official-role": "dgs",
            "official-phone": "",
            "official-commune": "",
            "official-epci": "",
        },
    )
    assert "Indiquez la commune ou l’intercommunalité (EPCI)" in response.content.decode()
    profile.refresh_from_db()
    assert profile.commune is not None


# --- the authentication backend, for any caller of authenticate() (future SSO, async views) ------------------------


def test_the_backend_finds_the_account_by_any_spelling_given_as_email():
    user = UserFactory(email="maire@ville.example.fr")
    assert EmailBackend().authenticate(None, email="  Maire@Ville.Example.FR ", password=FACTORY_PASSWORD) == user


def test_the_async_backend_applies_the_same_normalisation():
    user = UserFactory(email="maire@ville.example.fr")
    authenticate = async_to_sync(EmailBackend().aauthenticate)
    assert authenticate(None, username="MAIRE@VILLE.EXAMPLE.FR", password=FACTORY_PASSWORD) == user


def test_the_async_natural_key_lookup_ignores_case():
    user = UserFactory(email="maire@ville.example.fr")
    assert async_to_sync(User.objects.aget_by_natural_key)(" Maire@Ville.example.fr") == user
