"""`make run` support commands: every demo account listed last, and one command that resets the demo."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.demo import PASSWORD
from accounts.roles import Role
from tests.factories import CommuneFactory, UserFactory, official

pytestmark = pytest.mark.django_db


def _listing() -> str:
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    return out.getvalue()


def test_demo_accounts_lists_every_demo_account_with_its_role_and_the_password():
    official(commune=CommuneFactory(name="Nevers"), user__email="maire@nevers.demo.example")
    reviewer = UserFactory(email="relecteur2.bfc@cnam.demo.example", is_staff=True)
    reviewer.groups.add(Group.objects.get_or_create(name=Role.REGIONAL_REVIEWER)[0])
    UserFactory(email="someone@ville.fr")
    listing = _listing()
    assert PASSWORD in listing
    assert "maire@nevers.demo.example" in listing and "official of Nevers" in listing
    assert "relecteur2.bfc@cnam.demo.example" in listing and "Regional reviewer" in listing
    assert "someone@ville.fr" not in listing


def test_demo_accounts_without_demo_says_how_to_make_it():
    assert "run `make run`" in _listing()


def test_reset_demo_refuses_outside_debug_without_yes(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("reset_demo")
