"""Real-browser fixtures: Debian's Chromium driven by Playwright (sync API) against pytest-django's live server.

Playwright's own browser download does not work on our machines, so the system ``chromium`` is used
(``CHROMIUM_PATH``, default ``/usr/bin/chromium``). Every browser gets a fresh profile directory.
"""

import itertools
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from .helpers import BrowserProblems, Shooter

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def playwright_driver():
    # The sync API runs an event loop in this thread; the ORM calls made by the test body (and by
    # the live server's handlers, in their own thread) are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(_chromium_path()).exists():
        pytest.fail(f"Chromium not found at {_chromium_path()}: apt-get install chromium (see .ci/run).")
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_problems():
    """What went wrong in the test's browsers (console errors, uncaught exceptions, CSP violations)."""
    return BrowserProblems()


@pytest.fixture
def open_browser(playwright_driver, live_server, tmp_path, browser_problems):
    """Factory: ``open_browser(javascript=True)`` → a fresh persistent context (own profile) on the live server.

    Every page of every context is watched: a console error, an uncaught exception or a Content-Security-Policy
    violation fails the test at teardown.
    """
    contexts = []
    counter = itertools.count(1)

    def _open(*, javascript: bool = True):
        profile = tmp_path / f"chromium-profile-{next(counter)}"
        context = playwright_driver.chromium.launch_persistent_context(
            str(profile),
            executable_path=_chromium_path(),
            headless=True,
            args=CHROMIUM_ARGS,
            base_url=live_server.url,
            java_script_enabled=javascript,
            accept_downloads=True,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(15_000)
        browser_problems.watch(context)
        contexts.append(context)
        return context

    yield _open
    for context in contexts:
        context.close()  # delivers the events still on their way before closing
    if browser_problems.found:
        pytest.fail("The browser reported problems:\n  " + browser_problems.report(), pytrace=False)


@pytest.fixture
def page(open_browser):
    context = open_browser()
    return context.pages[0] if context.pages else context.new_page()


@pytest.fixture
def shooter(request):
    """Screenshots under ARTIFACTS_DIR/screenshots, named <journey>-<NN>-<step>.png."""
    directory = Path(settings.ARTIFACTS_DIR) / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    return Shooter(directory)


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The staff role groups with the permissions their data migration gives them.

    Transactional tests flush the database between tests; the migration's groups only come back through serialized
    rollback, which another transactional test without it (post_migrate recreating permissions with new ids) can
    defeat. Applying the migration's table again makes every journey start from the same roles.
    """
    import importlib

    from django.contrib.auth.models import Group, Permission

    table = importlib.import_module("reviews.migrations.0002_staff_roles").ROLE_PERMISSIONS
    for name, perms in table.items():
        group, _ = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                group.permissions.add(found)
    # Verifying and changing dossier holders (issue 10) is granted by an applications migration, not by the table.
    holder = Permission.objects.filter(
        content_type__app_label="applications", codename="manage_dossier_holders"
    ).first()
    if holder is not None:
        for group in Group.objects.filter(name__in=("Regional reviewer", "National coordinator", "Administrator")):
            group.permissions.add(holder)
