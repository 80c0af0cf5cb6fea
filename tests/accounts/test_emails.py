"""The "you already have an account" variant of the verification e-mail, in both languages."""

import pytest

from notifications.models import EmailKind
from notifications.services import render_email

CONTEXT = {
    "account_exists": True,
    "login_url": "https://ami.example/compte/connexion/",
    "reset_url": "https://ami.example/compte/mot-de-passe/oubli/",
}


@pytest.mark.parametrize(
    ("language", "subject"), [("fr", "Vous avez déjà un compte"), ("en", "You already have an account")]
)
def test_the_account_exists_message_has_its_subject_and_both_links(language, subject):
    rendered_subject, text, html = render_email(EmailKind.VERIFY_EMAIL, CONTEXT, language)
    assert rendered_subject == subject
    for body in (text, html):
        assert CONTEXT["login_url"] in body and CONTEXT["reset_url"] in body


def test_the_account_exists_message_carries_no_verification_link():
    _subject, text, _html = render_email(EmailKind.VERIFY_EMAIL, CONTEXT, "fr")
    assert "verification" not in text and "Confirmez" not in text
    assert "un compte existe déjà" in text
