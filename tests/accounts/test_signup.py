"""Sign-up: e-mail verification, no enumeration, nothing typed lost, French pages and e-mails."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import OfficialProfile, User
from tests.factories import CommuneFactory, EpciFactory, UserFactory

from .support import PASSWORD, ask_verification_resend, link_path, log_in, mails, sign_up, signup_data

pytestmark = pytest.mark.django_db


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


EMAIL = "claire.dumont@mairie.example.fr"


@pytest.fixture
def commune(db):
    return CommuneFactory(insee_code="71076", name="Chalon-sur-Saône")


def test_signup_page_is_in_french(client):
    response = client.get(reverse("accounts:signup"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Créer un compte" in content and "Adresse e-mail" in content and "Prénom" in content


def test_signup_creates_an_inactive_official_and_queues_a_french_verification_email(client, commune):
    response = sign_up(client, commune)
    assert response.status_code == 302 and response.url == reverse("accounts:signup_done")
    user = User.objects.get(email=EMAIL)
    assert not user.is_active and user.email_verified_at is None
    assert user.official_profile.commune == commune and user.official_profile.data_notice_accepted_at
    [mail] = mails(to=EMAIL)
    assert mail.subject.startswith("Confirmez votre adresse")
    assert "/compte/verification/" in link_path(mail.body_text, "/compte/verification/")


def test_signup_verify_then_log_in(client, commune):
    sign_up(client, commune)
    verify = link_path(mails(to=EMAIL)[0].body_text, "/compte/verification/")
    response = client.get(verify, follow=True)
    assert "Votre adresse e-mail est confirmée" in response.content.decode()
    assert User.objects.get(email=EMAIL).is_active
    response = log_in(client, EMAIL)
    assert response.status_code == 302 and response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session["_auth_user_id"] == str(User.objects.get(email=EMAIL).pk)


def test_the_verification_page_sends_to_the_log_in_page_with_the_address_filled_in(client, commune):
    sign_up(client, commune)
    response = client.get(link_path(mails(to=EMAIL)[0].body_text, "/compte/verification/"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert f'value="{EMAIL}"' in client.get(response.url).content.decode()


def test_an_unverified_account_cannot_log_in_and_is_told_so_with_a_new_link(client, commune):
    sign_up(client, commune)
    with time_machine.travel(timezone.now() + timedelta(minutes=15)):
        response = log_in(client, EMAIL)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Votre adresse e-mail n’est pas encore confirmée" in response.content.decode()
    assert len(mails(to=EMAIL)) == 2


def test_a_wrong_password_on_an_unverified_account_gets_the_generic_error(client, commune):
    sign_up(client, commune)
    response = log_in(client, EMAIL, "not-the-password")
    content = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect" in content
    assert "pas encore confirmée" not in content


def test_signup_with_an_existing_address_shows_the_same_page_and_creates_nothing(client, commune):
    existing = UserFactory(email=EMAIL)
    response = sign_up(client, commune, email=EMAIL.upper())
    assert response.status_code == 302 and response.url == reverse("accounts:signup_done")
    assert User.objects.filter(email__iexact=EMAIL).count() == 1
    assert not OfficialProfile.objects.filter(user=existing).exists()


def test_signup_with_an_existing_address_mails_it_an_account_exists_message(client, commune):
    UserFactory(email=EMAIL)
    sign_up(client, commune)
    [mail] = mails(to=EMAIL)
    assert mail.subject == "Vous avez déjà un compte"
    assert link_path(mail.body_text, "/compte/connexion/") and link_path(mail.body_text, "/compte/mot-de-passe/")
    assert "/compte/verification/" not in mail.body_text


def test_the_done_page_is_identical_for_a_new_and_an_existing_address(client, commune):
    new = _without_csrf(client.get(sign_up(client, commune, email="new@mairie.example.fr").url))
    UserFactory(email=EMAIL)
    existing = _without_csrf(client.get(sign_up(client, commune).url))
    assert new == existing
    assert "Consultez votre messagerie" in new


def test_signing_up_again_while_awaiting_verification_sends_a_new_link_and_changes_nothing(client, commune):
    sign_up(client, commune)
    with time_machine.travel(timezone.now() + timedelta(minutes=15)):
        sign_up(client, commune, first_name="Intruse")
    assert User.objects.get(email=EMAIL).first_name == "Claire"
    assert [m.subject.startswith("Confirmez") for m in mails(to=EMAIL)] == [True, True]


def test_repeated_sign_ups_do_not_flood_a_mailbox(client, commune):
    UserFactory(email=EMAIL)
    for _ in range(5):
        sign_up(client, commune)
    assert len(mails(to=EMAIL)) == 1


def test_a_validation_error_keeps_every_typed_field_but_the_passwords(client, commune):
    response = sign_up(client, commune, password2="something-else-2026!")
    content = response.content.decode()
    assert response.status_code == 200 and not User.objects.exists()
    assert "Les deux mots de passe ne correspondent pas" in content
    for value in (EMAIL, "Claire", "Dumont", "03 85 90 50 50", "Chalon-sur-Saône"):
        assert value in content
    assert 'value="mayor" selected' in content
    assert PASSWORD not in content


def test_django_password_validators_apply_in_french(client, commune):
    response = sign_up(client, commune, password1="12345678", password2="12345678")
    content = response.content.decode()
    assert not User.objects.exists()
    assert "Ce mot de passe est entièrement numérique" in content


def test_the_personal_data_notice_must_be_accepted(client, commune):
    data = signup_data(commune)
    del data["accept_notice"]
    response = client.post(reverse("accounts:signup"), data)
    assert "Vous devez accepter la notice relative aux données personnelles" in response.content.decode()
    assert not User.objects.exists()


def test_a_commune_or_an_epci_is_required(client):
    response = sign_up(client, None)
    assert "Indiquez la commune ou l’intercommunalité (EPCI)" in response.content.decode()
    assert not User.objects.exists()


def test_an_epci_alone_is_enough(client):
    epci = EpciFactory(siren="200000172")
    sign_up(client, None, epci=epci.siren)
    assert User.objects.get(email=EMAIL).official_profile.epci == epci


def test_an_unknown_commune_gets_a_french_error_and_keeps_the_text(client):
    response = client.post(reverse("accounts:signup"), {**signup_data(None), "commune": "Chalon-sur-Mer"})
    content = response.content.decode()
    assert "Aucune commune ne correspond" in content and "Chalon-sur-Mer" in content


def test_a_tampered_verification_link_is_refused_in_french(client, commune):
    sign_up(client, commune)
    path = link_path(mails(to=EMAIL)[0].body_text, "/compte/verification/")
    response = client.get(path.rstrip("/") + "x/")
    assert response.status_code == 400 and "Lien invalide ou expiré" in response.content.decode()
    assert not User.objects.get(email=EMAIL).is_active


def test_the_verification_link_expires(client, commune):
    # Both ends under the same frozen clock (the token uses naive local time).
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_up(client, commune)
    path = link_path(mails(to=EMAIL)[0].body_text, "/compte/verification/")
    with time_machine.travel(start + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 1), tick=False):
        assert client.get(path).status_code == 302
    User.objects.filter(email=EMAIL).update(is_active=False, email_verified_at=None)
    with time_machine.travel(start + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1), tick=False):
        assert client.get(path).status_code == 400
    assert not User.objects.get(email=EMAIL).is_active


def test_opening_the_verification_link_twice_is_harmless(client, commune):
    sign_up(client, commune)
    path = link_path(mails(to=EMAIL)[0].body_text, "/compte/verification/")
    client.get(path)
    response = client.get(path, follow=True)
    assert "déjà confirmée" in response.content.decode()


def test_a_verification_link_does_not_reactivate_an_account_deactivated_by_staff(client, commune):
    sign_up(client, commune)
    path = link_path(mails(to=EMAIL)[0].body_text, "/compte/verification/")
    client.get(path)
    User.objects.filter(email=EMAIL).update(is_active=False)
    assert client.get(path).status_code == 400
    assert not User.objects.get(email=EMAIL).is_active


def test_resending_the_verification_gives_the_same_page_for_any_address(client, commune):
    sign_up(client, commune)
    UserFactory(email="active@mairie.example.fr")
    with time_machine.travel(timezone.now() + timedelta(minutes=15)):
        pages = {ask_verification_resend(client, email).url for email in (EMAIL, "active@mairie.example.fr", "x@y.fr")}
    assert pages == {reverse("accounts:signup_done")}
    assert len(mails(to=EMAIL)) == 2
    assert mails(to="active@mairie.example.fr") == [] and mails(to="x@y.fr") == []


def test_the_invitation_return_address_survives_verification(client, commune):
    next_url = "/invitation/abc/"
    client.post(f"{reverse('accounts:signup')}?next={next_url}", {**signup_data(commune), "next": next_url})
    response = client.get(link_path(mails(to=EMAIL)[0].body_text, "/compte/verification/"))
    assert "next=%2Finvitation%2Fabc%2F" in response.url
    response = client.post(response.url, {"username": EMAIL, "password": PASSWORD})
    assert response.url == next_url


def test_an_outside_return_address_is_ignored(client, commune):
    client.post(f"{reverse('accounts:signup')}?next=https://evil.example/", signup_data(commune))
    assert "evil" not in mails(to=EMAIL)[0].body_text


def test_a_sign_up_made_in_english_gets_its_e_mails_in_english(client, commune):
    client.post(reverse("set_language"), {"language": "en"})
    sign_up(client, commune)
    user = User.objects.get(email=EMAIL)
    assert user.preferred_language == "en"
    assert mails(to=EMAIL)[0].subject == "Confirm your e-mail address"


def test_a_sign_up_made_in_french_gets_its_e_mails_in_french(client, commune):
    sign_up(client, commune)
    assert User.objects.get(email=EMAIL).preferred_language == "fr"
