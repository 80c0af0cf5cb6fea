"""axe-core on every public and applicant page: no violation of impact serious or critical."""

import pytest

from .helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_page_has_no_serious_accessibility_violation(page, shooter):
    page.goto("/")
    shooter.shoot(page, "a11y", "home")
    assert_accessible(page, "home")
