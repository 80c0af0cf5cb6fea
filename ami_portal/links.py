"""Links that leave the site (e-mails, PDFs): absolute, on ``SITE_URL``, never on the request's host."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``/dossiers/42/`` → ``https://portal.example/dossiers/42/`` (``SITE_URL`` has no trailing slash)."""
    return f"{settings.SITE_URL}{path}"
