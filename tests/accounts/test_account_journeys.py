"""The accounts pages end to end through the test client: sign-up, verification, log-in, log-out, password reset
and change, throttling, profile, ``next`` handling. Pages and e-mails are French."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import OfficialProfile, OfficialRole, User
from notifications.models import EmailKind, OutboxMessage
from notifications.sending import render_message
from tests.factories import CommuneFactory, UserFactory

from .support import ask_password_reset, ask_verification_resend

pytestmark = pytest.mark.django_db

PASSWORD = "Tournesol-Bleu-2026"
KNOWN_PASSWORD = "motdepasse-solide-42"  # tests.factories.UserFactory's password


@pytest.fixture
def commune(db):
    return CommuneFactory(insee_code="21425", name="Montbard")


def _signup_data(commune, **overrides) -> dict:
    data = {
        "email": "claire.dumont@montbard.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Claire",
        "last_name": "Dumont",
        "role": OfficialRole.MAYOR,
        "phone": "03 80 92 01 34",
        "commune": commune.insee_code,
        "epci": "",
        "accept_notice": "on",
    }
    return {**data, **overrides}


def _link(message: OutboxMessage) -> str:
    """The first link of a queued e-mail, as a path the test client can open."""
    url = re.search(r"https?://\S+", message.body_text).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def _mails(kind, email) -> list[OutboxMessage]:
    rows = OutboxMessage.objects.filter(kind=kind, recipient__iexact=email).order_by("created_at")
    return [render_message(row) for row in rows]  # as the worker will send them


def _page(response) -> str:
    """The page without its CSRF tokens (they differ on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _logged_in_user_id(client):
    return client.session.get("_auth_user_id")


# Sign-up and verification


def test_signup_creates_an_inactive_account_and_queues_a_french_verification_email(client, commune):
    response = client.post(reverse("accounts:signup"), _signup_data(commune))
    assert response.status_code == 302
    user = User.objects.get(email="claire.dumont@montbard.example")
    assert not user.is_active
    assert user.official_profile.commune == commune
    assert user.official_profile.role == OfficialRole.MAYOR
    [mail] = _mails(EmailKind.VERIFY_EMAIL, user.email)
    assert "Confirmez" in mail.subject or "confirm" in mail.subject.lower()
    assert "/compte/" in _link(mail)


def test_signup_then_verification_link_activates_the_account_and_the_official_can_log_in(client, commune):
    client.post(reverse("accounts:signup"), _signup_data(commune))
    [mail] = _mails(EmailKind.VERIFY_EMAIL, "claire.dumont@montbard.example")
    client.get(_link(mail), follow=True)
    user = User.objects.get(email="claire.dumont@montbard.example")
    assert user.is_active
    if _logged_in_user_id(client) is None:  # verification may leave the log-in to the password
        client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert _logged_in_user_id(client) == str(user.pk)


def test_unverified_account_cannot_log_in(client, commune):
    client.post(reverse("accounts:signup"), _signup_data(commune))
    response = client.post(
        reverse("accounts:login"), {"username": "claire.dumont@montbard.example", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Votre adresse e-mail n’est pas encore confirmée" in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_invalid_verification_link_shows_a_french_error_with_a_way_to_resend(client):
    response = client.get(reverse("accounts:verify", kwargs={"uidb64": "MQ", "token": "abc-123"}))
    assert response.status_code == 400
    assert reverse("accounts:resend_verification") in response.content.decode()
    assert "lien" in response.content.decode().lower()


def test_resend_verification_answers_the_same_for_a_known_and_an_unknown_address(client, commune):
    client.post(reverse("accounts:signup"), _signup_data(commune))
    known = ask_verification_resend(client, "claire.dumont@montbard.example", follow=True)
    unknown = ask_verification_resend(client, "personne@nulle-part.example", follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert _page(known).replace("claire.dumont@montbard.example", "") == _page(unknown).replace(
        "personne@nulle-part.example", ""
    )
    assert not _mails(EmailKind.VERIFY_EMAIL, "personne@nulle-part.example")


def test_signup_with_an_existing_address_shows_the_same_page_and_mails_an_account_exists_message(client, commune):
    UserFactory(email="claire.dumont@montbard.example")
    existing = client.post(reverse("accounts:signup"), _signup_data(commune), follow=True)
    fresh = client.post(
        reverse("accounts:signup"), _signup_data(commune, email="nouvelle@montbard.example"), follow=True
    )
    assert existing.redirect_chain == fresh.redirect_chain
    assert _page(existing) == _page(fresh)
    [mail] = _mails(EmailKind.VERIFY_EMAIL, "claire.dumont@montbard.example")
    assert reverse("accounts:password_reset") in mail.body_text
    assert "existe déjà" in mail.body_text
    assert User.objects.filter(email="claire.dumont@montbard.example").count() == 1


def test_signup_validation_error_keeps_every_typed_field_but_the_passwords(client, commune):
    data = _signup_data(commune, password2="pas-le-meme-mot-de-passe", accept_notice="")
    del data["accept_notice"]
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 200
    page = response.content.decode()
    for value in ("claire.dumont@montbard.example", "Claire", "Dumont", "03 80 92 01 34", "Montbard"):
        assert value in page
    assert PASSWORD not in page
    assert f'value="{OfficialRole.MAYOR}" selected' in page or f'value="{OfficialRole.MAYOR}"selected' in page
    assert not User.objects.exists()


def test_signup_password_errors_are_french(client, commune):
    response = client.post(
        reverse("accounts:signup"), _signup_data(commune, password1="12345678", password2="12345678")
    )
    assert "Ce mot de passe est entièrement numérique" in response.content.decode()


def test_signup_requires_the_personal_data_consent(client, commune):
    data = _signup_data(commune)
    del data["accept_notice"]
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 200
    assert "Vous devez accepter la notice relative aux données personnelles" in response.content.decode()
    assert not User.objects.exists()


def test_signup_prefills_the_address_from_the_query_string(client):
    response = client.get(reverse("accounts:signup") + "?email=invite%40ville.example")
    assert 'value="invite@ville.example"' in response.content.decode()


def test_signup_page_log_in_link_keeps_the_next_address(client, db):
    response = client.get(reverse("accounts:signup") + "?next=/dossiers/invitations/abc/")
    assert reverse("accounts:login") + "?next=/dossiers/invitations/abc/" in response.content.decode()


def test_signup_page_is_french(client):
    response = client.get(reverse("accounts:signup"))
    page = response.content.decode()
    assert "Mot de passe" in page and "Prénom" in page and "Téléphone" in page


def test_verification_link_honours_a_safe_next(client, commune):
    invitation = "/dossiers/"
    client.post(reverse("accounts:signup") + f"?next={invitation}", {**_signup_data(commune), "next": invitation})
    [mail] = _mails(EmailKind.VERIFY_EMAIL, "claire.dumont@montbard.example")
    response = client.get(_link(mail), follow=True)
    if _logged_in_user_id(client) is None:
        login = [url for url, _status in response.redirect_chain if reverse("accounts:login") in url]
        assert login, "verification led neither to a log-in nor to the log-in page"
        response = client.post(
            login[-1], {"username": "claire.dumont@montbard.example", "password": PASSWORD, "next": invitation}
        )
        assert response.url == invitation
    else:
        assert response.redirect_chain[-1][0] == invitation


# Log-in, log-out


def test_login_honours_a_safe_next(client):
    user = UserFactory(email="maire@ville.example")
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": KNOWN_PASSWORD, "next": "/dossiers/"}
    )
    assert response.status_code == 302 and response.url == "/dossiers/"


def test_login_refuses_an_unsafe_next(client):
    user = UserFactory(email="maire@ville.example")
    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": KNOWN_PASSWORD, "next": "https://evil.example/phish"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url


def test_login_error_is_generic_and_french(client):
    UserFactory(email="maire@ville.example")
    wrong_password = client.post(reverse("accounts:login"), {"username": "maire@ville.example", "password": "x"})
    unknown = client.post(reverse("accounts:login"), {"username": "inconnu@ville.example", "password": "x"})
    assert wrong_password.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert "mot de passe" in str(wrong_password.context["form"].non_field_errors()).lower()


def test_logout_page_opened_by_get_only_offers_the_button(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("accounts:logout"))
    assert "Voulez-vous vous déconnecter" in response.content.decode()
    assert _logged_in_user_id(client) == str(user.pk)


def test_logout_by_post_ends_the_session(client):
    client.force_login(UserFactory())
    client.post(reverse("accounts:logout"))
    assert _logged_in_user_id(client) is None


def test_navigation_shows_a_log_out_button_in_a_post_form(client):
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:profile")).content.decode()
    logout = re.escape(reverse("accounts:logout"))
    assert re.search(rf'<form[^>]*method="post"[^>]*action="{logout}"', page)


def test_five_wrong_passwords_lock_the_account_out_with_a_french_page(client):
    user = UserFactory(email="maire@ville.example")
    url = reverse("accounts:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": user.email, "password": "mauvais"}, REMOTE_ADDR="203.0.113.9")
    response = client.post(url, {"username": user.email, "password": KNOWN_PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code in {403, 429}
    assert "tentatives" in response.content.decode()
    assert _logged_in_user_id(client) is None


# Password reset and change


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(client):
    UserFactory(email="maire@ville.example")
    known = ask_password_reset(client, "maire@ville.example", follow=True)
    unknown = ask_password_reset(client, "inconnu@ville.example", follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert _page(known) == _page(unknown)
    assert len(_mails(EmailKind.PASSWORD_RESET, "maire@ville.example")) == 1
    assert not _mails(EmailKind.PASSWORD_RESET, "inconnu@ville.example")


def test_password_reset_link_sets_a_new_password(client):
    user = UserFactory(email="maire@ville.example")
    ask_password_reset(client, user.email)
    [mail] = _mails(EmailKind.PASSWORD_RESET, user.email)
    form_page = client.get(_link(mail), follow=True)
    set_password_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else _link(mail)
    client.post(set_password_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_requires_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:password_change")
    client.post(url, {"old_password": "faux", "new_password1": PASSWORD, "new_password2": PASSWORD})
    user.refresh_from_db()
    assert not user.check_password(PASSWORD)
    client.post(url, {"old_password": KNOWN_PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert _logged_in_user_id(client) == str(user.pk)  # the session survives the change


# Profile


def test_profile_requires_a_log_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_official_edits_their_profile(client, commune):
    profile = OfficialProfile.objects.create(user=UserFactory(), role=OfficialRole.MAYOR, commune=commune)
    client.force_login(profile.user)
    other = CommuneFactory(insee_code="21231", name="Dijon")
    response = client.post(
        reverse("accounts:profile"),
        {
            "user-first_name": "Anne",
            "user-last_name": "Martin",
            "user-preferred_language": "fr",
            "official-role": OfficialRole.DGS,
            "official-phone": "03 80 00 00 00",
            "official-commune": other.insee_code,
            "official-epci": "",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.user.first_name, profile.role, profile.commune) == ("Anne", OfficialRole.DGS, other)


def test_profile_role_list_has_the_sign_up_blank_choice_not_dashes(client, commune):
    profile = OfficialProfile.objects.create(user=UserFactory(), role=OfficialRole.MAYOR, commune=commune)
    client.force_login(profile.user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "---------" not in page and "— choisir —" in page


def test_profile_validation_error_keeps_what_was_typed(client, commune):
    profile = OfficialProfile.objects.create(user=UserFactory(), role=OfficialRole.MAYOR, commune=commune)
    client.force_login(profile.user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "user-first_name": "Anne",
            "user-last_name": "",
            "user-preferred_language": "fr",
            "official-role": OfficialRole.DGS,
            "official-phone": "03 80 00 00 00",
            "official-commune": commune.insee_code,
            "official-epci": "",
        },
    )
    assert response.status_code == 200
    assert "Anne" in response.content.decode() and "03 80 00 00 00" in response.content.decode()
    profile.user.refresh_from_db()
    assert profile.user.first_name != "Anne"
