"""Run in a subprocess under the production profile: prints the response headers and cookies as JSON.

Usage: DJANGO_SETTINGS_MODULE=ami_portal.settings.production SECRET_KEY=... python production_probe.py
The database is an in-memory SQLite migrated on the fly, so nothing outside the process is touched.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def _cookies(response) -> dict:
    return {
        name: {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]), "samesite": morsel["samesite"]}
        for name, morsel in response.cookies.items()
    }


def main() -> None:
    # The hashed-manifest storage needs collectstatic; the headers under test do not depend on it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(email="probe@example.fr", password="probe-password-42-xyz")
    client = Client(HTTP_HOST="ami.example.fr")
    plain = client.get("/", secure=False)
    home = client.get("/", secure=True)
    login = client.post(
        "/admin/login/?next=/admin/",
        {"username": "probe@example.fr", "password": "probe-password-42-xyz"},
        secure=True,
    )
    print(
        json.dumps(
            {
                "plain_status": plain.status_code,
                "plain_location": plain.headers.get("Location", ""),
                "home_status": home.status_code,
                "home_headers": dict(home.headers),
                "home_cookies": _cookies(home),
                "login_status": login.status_code,
                "login_cookies": _cookies(login),
                "session_cookie_name": settings.SESSION_COOKIE_NAME,
                "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
            }
        )
    )


main()
