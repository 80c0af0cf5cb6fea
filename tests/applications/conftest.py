# The real-browser fixtures (tests/browser/conftest.py), for the browser journeys of this app.
from tests.browser.conftest import open_browser, playwright_driver  # noqa: F401
