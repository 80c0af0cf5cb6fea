"""The demo accounts: one official per loaded city, one user per staff role, printed, and created once."""

import io

import pytest
from django.contrib.auth import authenticate

from accounts import demo
from accounts.roles import Role
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities(db):
    bfc = DepartementFactory(code="71", region=RegionFactory(code="27", name="Bourgogne-Franche-Comté"))
    hdf = DepartementFactory(code="80", region=RegionFactory(code="32", name="Hauts-de-France"))
    return {
        "71076": CommuneFactory(insee_code="71076", name="Chalon-sur-Saône", departement=bfc, region=bfc.region),
        "80001": CommuneFactory(insee_code="80001", name="Abbeville", departement=hdf, region=hdf.region),
    }


def _seed() -> tuple[dict, str]:
    out = io.StringIO()
    users = demo.seed(stdout=out)
    return users, out.getvalue()


def test_demo_creates_an_official_for_each_loaded_commune_and_skips_the_missing_one(cities):
    users, printed = _seed()
    communes = [user.official_profile.commune.insee_code for user in users["officials"]]
    assert communes == ["71076", "80001"]
    assert "30007" in printed and "skipped" in printed


def test_demo_gives_every_staff_key_its_group(cities):
    users, _printed = _seed()
    expected = {
        "reviewer_bfc": Role.REGIONAL_REVIEWER,
        "reviewer_hdf": Role.REGIONAL_REVIEWER,
        "coordinator": Role.COORDINATOR,
        "committee": Role.COMMITTEE,
        "press": Role.PRESS,
        "admin": Role.ADMINISTRATOR,
    }
    for key, role in expected.items():
        assert list(users[key].groups.values_list("name", flat=True)) == [role], key


def test_demo_reviewers_cover_their_region(cities):
    users, _printed = _seed()
    assert [r.code for r in users["reviewer_bfc"].staff_regions] == ["27"]
    assert [r.code for r in users["reviewer_hdf"].staff_regions] == ["32"]


def test_demo_staff_use_the_admin_but_press_does_not(cities):
    users, _printed = _seed()
    assert all(users[key].is_staff for key in ("reviewer_bfc", "reviewer_hdf", "coordinator", "committee", "admin"))
    assert not users["press"].is_staff
    # The Administrator is a technical admin, not a superuser: least privilege (reviews/README.md, Roles).
    assert not any(users[key].is_superuser for key in ("reviewer_bfc", "coordinator", "committee", "press", "admin"))


def test_demo_administrator_seeded_as_a_superuser_earlier_is_no_longer_one(cities):
    from accounts.models import User

    users, _printed = _seed()
    User.objects.filter(pk=users["admin"].pk).update(is_superuser=True)

    again, _printed = _seed()

    assert not again["admin"].is_superuser and not User.objects.get(pk=users["admin"].pk).is_superuser


def test_demo_prints_every_account_and_the_password_that_logs_it_in(cities, rf):
    users, printed = _seed()
    accounts = [*users["officials"], *(users[key] for key in ("reviewer_bfc", "coordinator", "press", "admin"))]
    for user in accounts:
        assert user.email in printed
        assert authenticate(rf.post("/"), username=user.email, password=demo.PASSWORD) == user
    assert demo.PASSWORD in printed


def test_demo_run_twice_changes_nothing(cities):
    from accounts.models import OfficialProfile, StaffProfile, User

    first, _printed = _seed()
    counts = (User.objects.count(), OfficialProfile.objects.count(), StaffProfile.objects.count())
    second, _printed = _seed()
    assert (User.objects.count(), OfficialProfile.objects.count(), StaffProfile.objects.count()) == counts
    assert second["officials"] == first["officials"] and second["admin"] == first["admin"]


def test_demo_officials_are_found_by_the_dossier_seed(cities):
    from applications.demo import _officials

    users, _printed = _seed()
    assert _officials(users) == users["officials"]
