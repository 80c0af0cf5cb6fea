"""Shared steps of the accounts tests: a valid sign-up, the links of the queued e-mails."""

import re

from django.test import TestCase
from django.urls import reverse

from notifications.models import EmailKind, OutboxMessage
from notifications.sending import render_message

PASSWORD = "Chalon-Saone-2026!"


def signup_data(commune, **overrides) -> dict:
    data = {
        "email": "claire.dumont@mairie.example.fr",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Claire",
        "last_name": "Dumont",
        "role": "mayor",
        "phone": "03 85 90 50 50",
        "commune": commune.insee_code if commune else "",
        "epci": "",
        "accept_notice": "on",
    }
    data.update(overrides)
    return data


def sign_up(client, commune, **overrides):
    return client.post(reverse("accounts:signup"), signup_data(commune, **overrides))


def mails(kind=EmailKind.VERIFY_EMAIL, to=None):
    """The queued rows, rendered as the worker will send them (templates are rendered at send time)."""
    rows = OutboxMessage.objects.filter(kind=kind).order_by("created_at", "pk")
    return [render_message(row) for row in (rows.filter(recipient__iexact=to) if to else rows)]


def link_path(body: str, fragment: str = "") -> str:
    """The path (and query) of the first http(s) link of ``body`` containing ``fragment``."""
    for link in re.findall(r"https?://[^\s\"'<>]+", body):
        if fragment in link:
            return re.sub(r"^https?://[^/]+", "", link)
    raise AssertionError(f"no link with {fragment!r} in:\n{body}")


def log_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, **extra)


def ask_password_reset(client, email, **extra):
    """Post the reset form and run what it queued after the commit (the worker's part runs eagerly in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("accounts:password_reset"), {"email": email}, **extra)


def ask_verification_resend(client, email, **extra):
    """Post the resend-verification form and run what it queued after the commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("accounts:resend_verification"), {"email": email}, **extra)
